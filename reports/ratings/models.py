from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Member, Organization
from criteria.rules import CollectiveFacts, Level, MemberFacts
from partydocs.models import is_superseded
from vietnamese.fields import NFCTextField


class MemberRating(models.Model):
    """A member's quality rating for a year: their own, the branch's proposal, the committee's
    decision."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("Năm"))
    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    self_level = models.CharField(
        _("Tự đánh giá"), max_length=16, choices=Level.choices, blank=True
    )
    proposed_level = models.CharField(
        _("Chi bộ đề xuất"), max_length=16, choices=Level.choices, blank=True
    )
    decided_level = models.CharField(
        _("Cấp ủy quyết định"), max_length=16, choices=Level.choices, blank=True
    )
    note = NFCTextField(_("Ghi chú"), blank=True)
    # The rating sheet on the 100-point frame (Quy định 366-QĐ/TW Điều 10–11, HD 43 Mẫu 05): the
    # member's own score, the score the committee accepts, and the conditions of Điều 11. With a
    # score recorded, a decision above what the facts allow is refused (criteria.rules.rate_member).
    self_score = models.DecimalField(
        _("Điểm tự chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("Điểm cấp ủy chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    tasks_on_time = models.BooleanField(_("Hoàn thành 100% nhiệm vụ đúng tiến độ"), default=True)
    exceeding_share = models.DecimalField(
        _("Tỷ lệ nhiệm vụ vượt yêu cầu"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    unfinished_share = models.DecimalField(
        _("Tỷ lệ nhiệm vụ không hoàn thành"), max_digits=5, decimal_places=4, default=0
    )
    disciplined = models.BooleanField(
        _("Bị kỷ luật từ khiển trách trở lên trong năm"), default=False
    )
    shortcomings_fixed = models.BooleanField(
        _("Đã khắc phục hết hạn chế, khuyết điểm đã được chỉ ra"), default=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại đảng viên")
        verbose_name_plural = _("xếp loại đảng viên")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="rating_once_a_year")
        ]
        indexes = [models.Index(fields=["branch", "year"], name="rating_branch_year")]

    def __str__(self):
        return f"{self.member} {self.year}"

    def facts(self):
        """The facts of the sheet, or None while no score is recorded."""
        if self.score is None:
            return None
        return MemberFacts(
            score=self.score,
            tasks_on_time=self.tasks_on_time,
            exceeding_task_share=self.exceeding_share,
            unfinished_task_share=self.unfinished_share,
            disciplined=self.disciplined,
            shortcomings_fixed=self.shortcomings_fixed,
        )

    @property
    def level(self) -> str:
        """The most authoritative level recorded: decided, else proposed, else self."""
        return self.decided_level or self.proposed_level or self.self_level


class RuleException(models.Model):
    """A recorded decision that changes what a rating rule allows, kept with the reason: that a
    unit's results were outstanding (the cap on "xuất sắc" rises from 20% to 25%, never more), or
    a leader's justified exception to the HD 21 condition on a branch's members."""

    class Rule(models.TextChoices):
        OUTSTANDING_RESULTS = (
            "outstanding",
            _("Kết quả nổi trội: tỷ lệ hoàn thành xuất sắc nhiệm vụ đến 25%"),
        )
        BRANCH_MEMBERS = (
            "branch_members",
            _("Điều kiện đảng viên của chi bộ hoàn thành xuất sắc nhiệm vụ"),
        )

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm"))
    rule = models.CharField(_("Quy tắc"), max_length=24, choices=Rule.choices)
    reason = NFCTextField(_("Lý do"))
    decision = NFCTextField(_("Quyết định (số, ngày)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngoại lệ quy tắc xếp loại")
        verbose_name_plural = _("ngoại lệ quy tắc xếp loại")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "rule"], name="rule_exception_once"
            )
        ]

    def __str__(self):
        return f"{self.get_rule_display()} — {self.organization} {self.year}"


class OrganizationRating(models.Model):
    """The quality rating of a party organization, or of its leadership collective (chi ủy, ban
    chấp hành, ban thường vụ), for a year, under Quy định 366-QĐ/TW: the organization's own
    scores on the frame of the year's rule set, the advising body's appraisal (thẩm định) with
    the conditions of Điều 11, and the decision of the committee directly above. It is not the
    "4 tốt" model's result (reports.reviews): neither sets the other."""

    class Subject(models.TextChoices):
        ORGANIZATION = "organization", _("Tổ chức đảng")
        LEADERSHIP = "leadership", _("Tập thể lãnh đạo (chi ủy, ban chấp hành, ban thường vụ)")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="quality_ratings"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    subject = models.CharField(
        _("Đối tượng"), max_length=16, choices=Subject.choices, default=Subject.ORGANIZATION
    )
    # Scores per part of the frame ({"common": "28", "results": "62.5"}), as decimal strings.
    self_parts = models.JSONField(_("Điểm tự chấm theo khung"), default=dict, blank=True)
    parts = models.JSONField(_("Điểm thẩm định theo khung"), default=dict, blank=True)
    self_score = models.DecimalField(
        _("Tổng điểm tự chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("Tổng điểm thẩm định"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    all_tasks_done = models.BooleanField(_("Hoàn thành 100% nhiệm vụ được giao"), default=True)
    late_share = models.DecimalField(
        _("Tỷ lệ nhiệm vụ chưa bảo đảm tiến độ"), max_digits=5, decimal_places=4, default=0
    )
    exceeding_share = models.DecimalField(
        _("Tỷ lệ nhiệm vụ vượt yêu cầu"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    disciplined = models.BooleanField(
        _("Có đơn vị trực thuộc hoặc thành viên lãnh đạo bị kỷ luật"), default=False
    )
    self_level = models.CharField(
        _("Tự xếp loại"), max_length=16, choices=Level.choices, blank=True
    )
    proposed_level = models.CharField(
        _("Mức đề xuất sau thẩm định"), max_length=16, choices=Level.choices, blank=True
    )
    decided_level = models.CharField(
        _("Cấp ủy cấp trên quyết định"), max_length=16, choices=Level.choices, blank=True
    )
    decision = NFCTextField(_("Quyết định (số, ngày)"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại chất lượng tổ chức đảng")
        verbose_name_plural = _("xếp loại chất lượng tổ chức đảng")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "subject"], name="organization_rating_once"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.year} ({self.get_subject_display()})"

    def facts(self):
        """The conditions of Điều 11 with the appraised score, or None while it has none."""
        if self.score is None:
            return None
        return CollectiveFacts(
            score=self.score,
            all_tasks_done=self.all_tasks_done,
            late_task_share=self.late_share,
            exceeding_task_share=self.exceeding_share,
            disciplined=self.disciplined,
        )


class Rerating(models.Model):
    """A re-rating (đánh giá, xếp loại lại; Hướng dẫn 43-HD/BTCTW Mẫu 03): a decided level changed
    by a new decision of the competent level, with its reason. Written by the rating services
    whenever a decided level of a member or of an organization changes to another level; the
    document of the decision (Mẫu 03) is printed from it."""

    member_rating = models.ForeignKey(
        MemberRating, on_delete=models.PROTECT, related_name="reratings", null=True, blank=True
    )
    organization_rating = models.ForeignKey(
        OrganizationRating,
        on_delete=models.PROTECT,
        related_name="reratings",
        null=True,
        blank=True,
    )
    old_level = models.CharField(_("Mức đã quyết định"), max_length=16, choices=Level.choices)
    new_level = models.CharField(_("Mức xếp loại lại"), max_length=16, choices=Level.choices)
    reason = NFCTextField(_("Lý do xếp loại lại"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("xếp loại lại")
        verbose_name_plural = _("xếp loại lại")
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member_rating__isnull=False, organization_rating__isnull=True)
                | models.Q(member_rating__isnull=True, organization_rating__isnull=False),
                name="rerating_of_one_rating",
            )
        ]

    def __str__(self):
        return f"{self.rating} {self.old_level} → {self.new_level}"

    @property
    def rating(self):
        return self.member_rating or self.organization_rating


class CollectiveReport(models.Model):
    """The collective's review report (HD 43 Mẫu 01) of a party organization or of its leadership
    collective for a year: the narrative the organization writes beside its own scores and level
    (the self-assessment step of reports.ratings.OrganizationRating), signed by its secretary.
    Once signed, that self-assessment is frozen with it until the report is returned."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã ký")
        RETURNED = "returned", _("Trả lại để sửa")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="collective_reports"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    subject = models.CharField(_("Đối tượng"), max_length=16)
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    sections = models.JSONField(_("Nội dung báo cáo"), default=dict, blank=True)
    return_reason = NFCTextField(_("Lý do trả lại"), blank=True)
    signatures = GenericRelation("partydocs.Signature")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo kiểm điểm tập thể")
        verbose_name_plural = _("báo cáo kiểm điểm tập thể")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "subject"], name="collective_report_once"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.year} ({self.subject})"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def verification_label(self) -> str:
        return _("Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng năm %(year)s") % {
            "year": self.year
        }

    def verification_organization(self):
        return self.organization

    def verification_status(self, signature) -> str:
        if is_superseded(self, signature):
            return "superseded"
        if self.status == self.Status.RETURNED:
            return "returned"
        return "valid"

"""Members' self-reviews (kiểm điểm, tự đánh giá, xếp loại cá nhân) on the forms of Hướng dẫn
43-HD/BTCTW, the rounds a committee opens for them, the branch's vote, The collective's review report
(Mẫu 01) is reports.ratings.CollectiveReport, beside the organization's rating. The year's rating itself is reports.ratings.MemberRating: a self-review feeds its
self-assessment and the vote its branch proposal; the committee decides there."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Member, Organization
from criteria.rules import Level
from partydocs.models import is_superseded
from vietnamese.fields import NFCTextField

VOTE_FIELDS = ("vote_excellent", "vote_good", "vote_completed", "vote_failed", "vote_invalid")


class ReviewRound(models.Model):
    """A round of self-reviews (đợt kiểm điểm) a committee opens for the members of the branches
    under it: the year (Mẫu 2A/2B/2C) or one quarter of it (Mẫu 05; Quy định 366-QĐ/TW allows
    quarterly ratings). A member reviews in the round of the nearest committee above their
    branch that opened one for the period."""

    committee = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="review_rounds"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    quarter = models.PositiveSmallIntegerField(
        _("Quý"), null=True, blank=True, choices=[(q, q) for q in range(1, 5)]
    )
    deadline = models.DateField(_("Hạn nộp bản tự kiểm điểm"))
    note = NFCTextField(_("Căn cứ, ghi chú"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt kiểm điểm")
        verbose_name_plural = _("đợt kiểm điểm")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"],
                condition=Q(quarter__isnull=True),
                name="review_round_once_a_year",
            ),
            models.UniqueConstraint(
                fields=["committee", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="review_round_once_a_quarter",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="review_round_quarter_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.period_label} — {self.committee}"

    @property
    def period_label(self) -> str:
        if self.quarter:
            return _("Quý %(q)s năm %(year)s") % {"q": self.quarter, "year": self.year}
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def is_quarterly(self) -> bool:
        return self.quarter is not None


class SelfReview(models.Model):
    """A member's bản kiểm điểm, tự đánh giá, xếp loại cá nhân for a round: the sections of the
    form (HD 43 Mẫu 2A/2B/2C for the year, 05 for a quarter), the points on the year's frame and
    the level the member proposes. Signed by the member with the signing act (or, for a member
    who cannot, filled and signed by the branch's secretary or the committee's staff, which the
    document says); returned for rework with a reason; then discussed by the branch, which votes
    (biểu quyết) on the level to propose."""

    class Form(models.TextChoices):
        LEADER = "2A", _("Mẫu 2A — cá nhân giữ chức vụ lãnh đạo, quản lý")
        STAFF = "2B", _("Mẫu 2B — cá nhân không giữ chức vụ lãnh đạo, quản lý")
        OUTSIDE = "2C", _("Mẫu 2C — đảng viên không làm việc trong hệ thống chính trị")
        PERIOD = "05", _("Mẫu 05 — bản tự đánh giá, xếp loại quý")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang viết")
        SUBMITTED = "submitted", _("Đã ký, nộp chi bộ")
        RETURNED = "returned", _("Trả lại để viết lại")

    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="self_reviews")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="self_reviews")
    # The branch the member reviews at (chi bộ nơi sinh hoạt), when the review was opened.
    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("Mẫu"), max_length=2, choices=Form.choices)
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # {section code: text}
    sections = models.JSONField(_("Nội dung kiểm điểm"), default=dict, blank=True)
    # {frame part code: "28.5"} on the year's frame (366: common 30, results 70)
    parts = models.JSONField(_("Điểm tự chấm theo khung"), default=dict, blank=True)
    score = models.DecimalField(
        _("Tổng điểm tự chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    proposed_level = models.CharField(
        _("Tự nhận mức xếp loại"), max_length=16, choices=Level.choices, blank=True
    )
    # Someone other than the member wrote it (a member who cannot): who, and why.
    on_behalf_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    on_behalf_reason = NFCTextField(_("Lý do lập thay"), blank=True)
    return_reason = NFCTextField(_("Lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The branch's discussion and vote (biểu quyết) on the level to propose.
    vote_date = models.DateField(_("Ngày chi bộ biểu quyết"), null=True, blank=True)
    vote_present = models.PositiveSmallIntegerField(
        _("Số đảng viên chính thức có mặt biểu quyết"), null=True, blank=True
    )
    vote_excellent = models.PositiveSmallIntegerField(_("Hoàn thành xuất sắc"), default=0)
    vote_good = models.PositiveSmallIntegerField(_("Hoàn thành tốt"), default=0)
    vote_completed = models.PositiveSmallIntegerField(_("Hoàn thành"), default=0)
    vote_failed = models.PositiveSmallIntegerField(_("Không hoàn thành"), default=0)
    vote_invalid = models.PositiveSmallIntegerField(_("Phiếu trắng, không hợp lệ"), default=0)
    vote_result = models.CharField(
        _("Chi bộ đề xuất"), max_length=16, choices=Level.choices, blank=True
    )
    vote_comment = NFCTextField(_("Nhận xét của chi bộ"), blank=True)
    vote_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A quarter's rating, decided by the committee (the year's is MemberRating.decided_level).
    decided_level = models.CharField(
        _("Cấp ủy quyết định"), max_length=16, choices=Level.choices, blank=True
    )
    signatures = GenericRelation("partydocs.Signature")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bản tự kiểm điểm")
        verbose_name_plural = _("bản tự kiểm điểm")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="self_review_once_a_round")
        ]
        indexes = [models.Index(fields=["round", "branch"], name="self_review_round_branch")]

    def __str__(self):
        return f"{self.member} — {self.round}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def voted(self) -> bool:
        return self.vote_date is not None

    def verification_label(self) -> str:
        return _("%(form)s, %(period)s, của đồng chí %(name)s") % {
            "form": self.get_form_display(),
            "period": self.round.period_label.lower(),
            "name": self.member.full_name,
        }

    def verification_organization(self):
        return self.branch

    def verification_status(self, signature) -> str:
        if is_superseded(self, signature):
            return "superseded"
        if self.status == self.Status.RETURNED:
            return "returned"
        return "valid"

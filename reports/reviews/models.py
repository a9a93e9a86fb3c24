from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Member, Organization
from criteria.models import Indicator, Plan
from partydocs.models import is_superseded
from partydocs.numbering import NumberedDocument
from pledges.models import Registration
from reports.meetings.models import Evidence
from vietnamese.fields import NFCCharField, NFCTextField

SCORE = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True}


class Review(models.Model):
    """One registered organization's interim (sơ kết) or final (tổng kết) review for a year:
    its self-assessment, the committee's assessment and the finalized result."""

    class Round(models.TextChoices):
        INTERIM = "interim", _("Sơ kết")
        FINAL = "final", _("Tổng kết")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chi bộ đang tự đánh giá")
        SUBMITTED = "submitted", _("Đã nộp, chờ thẩm định")
        RETURNED = "returned", _("Trả lại để sửa")
        ASSESSED = "assessed", _("Đã thẩm định")
        FINALIZED = "finalized", _("Đã chốt kết quả")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("Năm"))
    round = models.CharField(_("Đợt"), max_length=16, choices=Round.choices)
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Raised by every save of the assessment: two people saving at once cannot overwrite each other.
    revision = models.PositiveIntegerField(default=0)
    return_reason = NFCTextField(_("Lý do trả lại"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    # The model's result, written once by the finalization. The quality rating (Quy định
    # 366-QĐ/TW) is not part of it: it is reports.ratings.OrganizationRating, decided on its own.
    self_total = models.DecimalField(_("Tổng điểm tự chấm"), **SCORE)
    total = models.DecimalField(_("Tổng điểm thẩm định"), **SCORE)
    criterion_results = models.JSONField(default=list, blank=True)
    reached_model = models.BooleanField(_("Đạt mô hình"), null=True)
    model_reason = NFCTextField(blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)
    signatures = GenericRelation("partydocs.Signature")

    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-year", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "year", "round"], name="review_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.get_round_display()} {self.year} — {self.registration.organization}"

    @property
    def editable_by_branch(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def finalized(self) -> bool:
        return self.status == self.Status.FINALIZED

    def verification_label(self) -> str:
        plan = self.registration.plan
        return _(
            "Bản tự đánh giá %(round)s năm %(year)s, mô hình “%(model)s” (Kế hoạch số %(number)s)"
        ) % {
            "round": self.get_round_display().lower(),
            "year": self.year,
            "model": plan.get_model_display(),
            "number": plan.number,
        }

    def verification_organization(self):
        """The organization whose document this is, as the public verification page names it."""
        return self.registration.organization

    def verification_status(self, signature) -> str:
        if self.registration.status == Registration.Status.WITHDRAWN:
            return "withdrawn"
        if is_superseded(self, signature):
            return "superseded"
        if self.status == self.Status.RETURNED:
            return "returned"
        return "valid"


class ReviewScore(models.Model):
    """One indicator in a review: what was achieved, the branch's score and the committee's."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    achieved_yes = models.BooleanField(_("Đạt"), null=True, blank=True)
    achieved_number = models.DecimalField(
        _("Kết quả đạt được"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    auto_note = NFCTextField(_("Cách tính tự động"), blank=True)
    self_score = models.DecimalField(_("Tự chấm"), **SCORE)
    self_comment = NFCTextField(_("Giải trình"), blank=True)
    assessed_score = models.DecimalField(_("Điểm thẩm định"), **SCORE)
    assessed_comment = NFCTextField(_("Nhận xét của cấp ủy"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="scores")

    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "indicator"], name="review_score_once")
        ]

    def __str__(self):
        return f"{self.review} — {self.indicator_id}"


class Nomination(models.Model):
    """A proposed outstanding collective (tập thể tiêu biểu) or individual (cá nhân tiêu biểu)."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể tiêu biểu")
        INDIVIDUAL = "individual", _("Cá nhân tiêu biểu")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị")
        APPROVED = "approved", _("Được công nhận")
        REJECTED = "rejected", _("Không công nhận")
        WITHDRAWN = "withdrawn", _("Đã rút đề nghị")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="nominations")
    year = models.PositiveSmallIntegerField(_("Năm"))
    kind = models.CharField(_("Loại"), max_length=16, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = NFCTextField(_("Thành tích"))
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = NFCTextField(_("Lý do không công nhận, rút đề nghị"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề nghị tiêu biểu")
        verbose_name_plural = _("đề nghị tiêu biểu")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="collective", organization__isnull=False, member__isnull=True)
                    | Q(kind="individual", member__isnull=False, organization__isnull=True)
                ),
                name="nomination_subject_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["plan", "year", "organization"],
                condition=Q(organization__isnull=False),
                name="nomination_collective_once",
            ),
            models.UniqueConstraint(
                fields=["plan", "year", "member"],
                condition=Q(member__isnull=False),
                name="nomination_individual_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.organization or self.member}"


class RecognitionDecision(NumberedDocument):
    """The standing committee's numbered decision (QĐ) recognizing the organizations that reached
    the model, with the outstanding collectives and individuals in its annex."""

    KIND_CODE = "QĐ"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField(_("Năm"))
    title = NFCCharField(_("Trích yếu"), max_length=300)
    signer_on_behalf = NFCCharField(_("Thay mặt"), max_length=100, default="T/M BAN THƯỜNG VỤ")
    signer_title = NFCCharField(_("Chức vụ người ký"), max_length=100, default="BÍ THƯ")
    signer_name = NFCCharField(_("Người ký"), max_length=150)
    recipients = NFCTextField(_("Nơi nhận"), blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "term", "sequence"],
                name="decision_number_unique",
                violation_error_message=_("Số quyết định này đã được dùng trong nhiệm kỳ."),
            ),
            models.UniqueConstraint(fields=["plan", "year"], name="decision_once_per_plan_year"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

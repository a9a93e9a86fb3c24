from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.fields import NFCTextField
from criteria.models import Indicator
from criteria.rules import Level
from pledges.models import Registration
from reports.models.evidence import Evidence

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
    # The result, written once by the finalization.
    self_total = models.DecimalField(_("Tổng điểm tự chấm"), **SCORE)
    total = models.DecimalField(_("Tổng điểm thẩm định"), **SCORE)
    criterion_results = models.JSONField(default=list, blank=True)
    reached_model = models.BooleanField(_("Đạt mô hình"), null=True)
    model_reason = NFCTextField(blank=True)
    level = models.CharField(_("Xếp loại"), max_length=16, choices=Level.choices, blank=True)
    level_reason = NFCTextField(blank=True)
    exception_reason = NFCTextField(_("Ngoại lệ được ghi nhận"), blank=True)
    facts = models.JSONField(default=dict, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)
    signatures = GenericRelation("pledges.Signature")

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

    def verification_status(self, signature) -> str:
        if self.registration.status == Registration.Status.WITHDRAWN:
            return "withdrawn"
        latest = (
            self.signatures.filter(role=signature.role)
            .order_by("-sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        if latest is not None and signature.sequence < latest:
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

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.fields import NFCCharField, NFCTextField
from branches.models import Member, Organization
from criteria.models import Plan
from reports.numbering import NumberedDocument


class Nomination(models.Model):
    """A proposed outstanding collective (tập thể tiêu biểu) or individual (cá nhân tiêu biểu)."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể tiêu biểu")
        INDIVIDUAL = "individual", _("Cá nhân tiêu biểu")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị")
        APPROVED = "approved", _("Được công nhận")
        REJECTED = "rejected", _("Không công nhận")

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

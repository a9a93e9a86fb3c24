"""Registration for a plan, the pledge (bản cam kết) in versions, and the signatures on them.

A pledge version is editable while it is a draft. Signing freezes it: its targets and
commitments can no longer change (the services refuse, and database triggers refuse too), and the
exact content signed is kept with the signature as canonical JSON and its SHA-256. An amendment
is a new version, signed again; every version stays readable.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization
from criteria.models import Criterion, Indicator, Plan
from vietnamese.fields import NFCCharField, NFCTextField


class Registration(models.Model):
    """An organization enrolled in a plan for one year (đăng ký xây dựng mô hình): a plan over
    several years (2026–2030) is registered for, pledged and reviewed year by year, each year's
    pledge signed on its own."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã đăng ký")
        WITHDRAWN = "withdrawn", _("Đã rút đăng ký")
        # The organization was merged or split (branches.reorganization): its successor carries
        # the plan on under a registration of its own; this one and its signed pledges stay as
        # they were signed.
        CARRIED_OVER = "carried_over", _("Chuyển cho tổ chức kế thừa")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="registrations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="registrations"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    registered_at = models.DateTimeField(_("Thời điểm đăng ký"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    late_reason = NFCTextField(_("Lý do nhận đăng ký muộn"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = NFCTextField(_("Lý do rút đăng ký"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký")
        verbose_name_plural = _("đăng ký")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organization", "year"],
                name="registration_once_a_year",
                violation_error_message=_("Tổ chức đã đăng ký kế hoạch này cho năm này."),
            )
        ]

    def __str__(self):
        return f"{self.organization} — {self.plan.number} ({self.year})"

    def save(self, *args, **kwargs):
        """A registration with a signed pledge keeps its plan and organization: the signed
        documents hang on them, and the verification page names that organization. (On
        PostgreSQL the database refuses the change too: pledges/0005.)"""
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("plan_id", "organization_id", "year")
                .first()
            )
            moved = stored is not None and (
                stored["plan_id"] != self.plan_id
                or stored["organization_id"] != self.organization_id
                or stored["year"] != self.year
            )
            if moved and self.has_signed_documents():
                raise ValidationError(
                    _("Đăng ký đã có bản cam kết đã ký: không đổi được kế hoạch, tổ chức hay năm.")
                )
        super().save(*args, **kwargs)

    def has_signed_documents(self) -> bool:
        return self.pledges.exclude(status="draft").exists()

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.REGISTERED

    @property
    def is_late(self) -> bool:
        return bool(self.late_reason)


class DeadlineExtension(models.Model):
    """A later deadline for one organization (gia hạn), granted by committee staff with a reason."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Đăng ký")
        SIGNING = "signing", _("Ký cam kết")
        INTERIM_REVIEW = "interim_review", _("Sơ kết")
        FINAL_REVIEW = "final_review", _("Tổng kết")

    PLAN_FIELDS = {
        Kind.REGISTRATION: "registration_deadline",
        Kind.SIGNING: "signing_deadline",
        Kind.INTERIM_REVIEW: "interim_review_deadline",
        Kind.FINAL_REVIEW: "final_review_deadline",
    }

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="extensions")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Hạn"), max_length=16, choices=Kind.choices)
    until = models.DateField(_("Gia hạn đến ngày"))
    reason = NFCTextField(_("Lý do"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organization", "kind"], name="extension_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.organization}: {self.until}"


class Pledge(models.Model):
    """One version of a registration's pledge. Versions are numbered 1, 2, … per registration."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SIGNED = "signed", _("Đã ký, chờ cấp ủy xác nhận")
        ACCEPTED = "accepted", _("Cấp ủy đã xác nhận")
        RETURNED = "returned", _("Trả lại để sửa")
        SUPERSEDED = "superseded", _("Đã được thay bằng bản sửa đổi")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="pledges")
    version = models.PositiveSmallIntegerField(_("Lần"))
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = NFCTextField(_("Lý do trả lại"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signatures = GenericRelation("partydocs.Signature")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("bản cam kết")
        ordering = ["registration", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "version"], name="pledge_version_unique"
            ),
            # At most one version being worked on, and at most one in force.
            models.UniqueConstraint(
                fields=["registration"], condition=Q(status="draft"), name="pledge_one_draft"
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status__in=["signed", "accepted"]),
                name="pledge_one_in_force",
            ),
        ]

    def __str__(self):
        return f"{self.registration} — lần {self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status != self.Status.DRAFT

    # What the public verification page says about a signed document: its kind, its organization
    # and its status (valid / superseded / returned / withdrawn). Reviews answer the same.
    def verification_label(self) -> str:
        plan = self.registration.plan
        return _("Bản cam kết xây dựng mô hình “%(model)s” (Kế hoạch số %(number)s), lần %(n)s") % {
            "model": plan.get_model_display(),
            "number": plan.number,
            "n": self.version,
        }

    def verification_organization(self):
        """The organization whose document this is, as the public verification page names it."""
        return self.registration.organization

    def verification_status(self, signature) -> str:
        if self.registration.status == Registration.Status.WITHDRAWN:
            return "withdrawn"
        if self.status == self.Status.SUPERSEDED:
            return "superseded"
        if self.status == self.Status.RETURNED:
            return "returned"
        return "valid"


class PledgeTarget(models.Model):
    """The target pledged for one indicator: yes/no, a number, or a percentage."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value_yes = models.BooleanField(_("Cam kết thực hiện"), null=True, blank=True)
    value_number = models.DecimalField(
        _("Mức phấn đấu"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    note = NFCCharField(_("Ghi chú"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "indicator"], name="pledge_target_unique")
        ]

    def __str__(self):
        return f"{self.pledge} — {self.indicator_id}"


class PledgeCommitment(models.Model):
    """Free text the branch commits to under one criterion."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="commitments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    text = NFCTextField(_("Cam kết"), blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pledge", "criterion"], name="pledge_commitment_unique")
        ]

    def __str__(self):
        return f"{self.pledge} — {self.criterion_id}"


class Reminder(models.Model):
    """A reminder already sent, so the reminder command can run any number of times a day."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=DeadlineExtension.Kind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organization", "kind", "deadline"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.organization_id} {self.deadline}"

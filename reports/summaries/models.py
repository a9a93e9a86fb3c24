from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from criteria.models import Plan
from partydocs.numbering import NumberedDocument
from vietnamese.fields import NFCCharField, NFCTextField


class GeneratedDocument(models.Model):
    """A document made in the background (a district's summary, say). Its key covers the kind, the
    parameters and a fingerprint of the data, so everyone asking for the same document shares one
    job, and a finished file is served again until the data changes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        READY = "ready", _("Đã xong")
        FAILED = "failed", _("Không tạo được")

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=32)
    fmt = models.CharField(max_length=8)
    params = models.JSONField(default=dict)
    title = NFCCharField(max_length=300)
    # The plan a summary is of; none for an export that belongs to no plan (the member list),
    # which only the person who asked for it may download.
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = NFCTextField(blank=True)
    file = models.FileField(upload_to="generated/", blank=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"


class SummaryReport(NumberedDocument):
    """The numbered summary report (BC) of a plan for one round, as issued."""

    KIND_CODE = "BC"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="summary_reports")
    year = models.PositiveSmallIntegerField(_("Năm"))
    round = models.CharField(_("Đợt"), max_length=16)
    scope = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = NFCCharField(_("Trích yếu"), max_length=300)
    signer_on_behalf = NFCCharField(_("Thay mặt"), max_length=100, default="T/M BAN THƯỜNG VỤ")
    signer_title = NFCCharField(_("Chức vụ người ký"), max_length=100, default="BÍ THƯ")
    signer_name = NFCCharField(_("Người ký"), max_length=150)
    recipients = NFCTextField(_("Nơi nhận"), blank=True)
    # The narrative sections as staff edited them before issue (reports.summaries.narrative);
    # empty for reports issued before they existed.
    sections = models.JSONField(_("Nội dung báo cáo"), null=True, blank=True)
    data_fingerprint = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "term", "sequence"],
                name="report_number_unique",
                violation_error_message=_("Số báo cáo này đã được dùng trong nhiệm kỳ."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

"""The outbox: every e-mail the product sends is a row here first, delivered by the task worker
(web/mail.py), so a slow or stalled mail server holds no web request; what could not be
delivered stays visible to the committee's staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Không gửi được")

    kind = models.CharField(_("Loại thư"), max_length=40)
    subject = models.CharField(_("Tiêu đề"), max_length=300)
    body = models.TextField(_("Nội dung"))
    recipients = models.JSONField(_("Người nhận"))
    # The organization the message is about (its tree path): its staff see a failure.
    scope_path = models.CharField(max_length=255, blank=True, db_index=True)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker last took it to send (or found it lost): "sending" long after it has no worker.
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thư gửi đi")
        verbose_name_plural = _("thư gửi đi")
        indexes = [models.Index(fields=["status", "scope_path"], name="outgoingmail_status")]

    def __str__(self):
        return self.subject

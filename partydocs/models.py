"""The signature record: the evidence of one electronic signature on any signed document.

A signed document is any model that has a GenericRelation to Signature and answers the
verification questions: `verification_label()` (what it is), `verification_organization()` (whose
it is) and `verification_status(signature)` (valid / superseded / returned / withdrawn).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from vietnamese.fields import NFCCharField


class Signature(models.Model):
    """Evidence of one electronic signature (Luật Giao dịch điện tử 2023): who, what, when, from
    where and how, on a signed document — a pledge version or a submitted self-assessment.
    Written once; the database refuses updates and deletes."""

    class Role(models.TextChoices):
        SIGNER = "signer", _("Người ký")
        COUNTERSIGNER = "countersigner", _("Xác nhận của cấp ủy")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    role = models.CharField(max_length=16, choices=Role.choices)
    # A document signed again after being returned (a self-assessment) gets 2, 3…
    sequence = models.PositiveSmallIntegerField(default=1)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    full_name = NFCCharField(_("Họ và tên người ký"), max_length=150)
    position = NFCCharField(_("Chức vụ"), max_length=150)
    signed_at = models.DateTimeField(_("Thời điểm ký (giờ máy chủ)"))
    ip_address = models.GenericIPAddressField(_("Địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("Trình duyệt"), max_length=400, blank=True)
    method = models.CharField(_("Cách ký"), max_length=120)
    canonical = models.TextField(_("Nội dung đã ký (JSON chuẩn hóa)"))
    content_hash = models.CharField(_("SHA-256 của nội dung"), max_length=64)
    drawing = models.BinaryField(_("Hình chữ ký"), null=True, blank=True)
    code = models.CharField(_("Mã xác minh"), max_length=32, unique=True)

    class Meta:
        # The table of the release that kept signatures with pledges: moving the model moved
        # no row (partydocs 0001, pledges 0004).
        db_table = "pledges_signature"
        verbose_name = _("chữ ký")
        verbose_name_plural = _("chữ ký")
        ordering = ["signed_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="signature_document")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "role", "sequence"],
                name="signature_once_per_role",
            )
        ]

    def __str__(self):
        return f"{self.full_name} — {self.get_role_display()} — {self.content_type.model} {self.object_id}"

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.fields import NFCCharField, NFCTextField
from criteria.models import Indicator
from pledges.models import Registration


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.registration_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file or a note kept as proof for one indicator of a registration (minh chứng)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="evidence"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm"))
    file = models.FileField(_("Tệp"), upload_to=evidence_path, blank=True)
    original_name = NFCCharField(_("Tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    note = NFCTextField(_("Ghi chú"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(note=""), name="evidence_file_or_note"
            ),
        ]

    def __str__(self):
        return self.original_name or self.note[:60]

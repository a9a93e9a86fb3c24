"""The signature record: the evidence of one electronic signature on any signed document; and the
congress terms of the bodies that issue documents.

A signed document is any model that has a GenericRelation to Signature and answers the
verification questions: `verification_label()` (what it is), `verification_organization()` (whose
it is) and `verification_status(signature)` (valid / superseded / returned / withdrawn).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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


class CongressTerm(models.Model):
    """A term of an issuing body: from its congress (đại hội), or from its founding when a merger
    or a re-foundation set up a committee before its congress. Staff enter it; document numbers
    restart from 01 per kind at its start (partydocs.numbering.term_for)."""

    class Origin(models.TextChoices):
        CONGRESS = "congress", _("Đại hội")
        FOUNDING = "founding", _("Thành lập (hợp nhất, sáp nhập, tái lập)")

    organization = models.ForeignKey(
        settings.BONTOT_ORGANIZATION_MODEL,
        verbose_name=_("Tổ chức"),
        on_delete=models.PROTECT,
        related_name="congress_terms",
    )
    origin = models.CharField(_("Bắt đầu từ"), max_length=12, choices=Origin.choices)
    start_date = models.DateField(_("Ngày bắt đầu"))
    # As documents write it: "nhiệm kỳ 2025–2030" (a committee appointed at a founding may serve
    # the rest of an earlier term: "2020–2025").
    label = NFCCharField(_("Nhiệm kỳ"), max_length=9)
    # What numbered documents record in their `term` column. A congress term's key is its label,
    # the same as the terms computed before terms were entered (so a committee entering the term it
    # is in keeps numbering on); a founding period's is "TL" + its start date.
    key = models.CharField(max_length=9, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organization", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "start_date"],
                name="congress_term_start_unique",
                violation_error_message=_("Tổ chức đã có một nhiệm kỳ bắt đầu ngày này."),
            ),
            models.UniqueConstraint(
                fields=["organization", "key"],
                name="congress_term_key_unique",
                violation_error_message=_("Tổ chức đã có nhiệm kỳ này."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.label}"

    def clean(self):
        from partydocs.numbering import TERM_LABEL

        self.label = TERM_LABEL.sub(r"\1–\2", (self.label or "").replace(" ", ""))
        if self.origin == self.Origin.CONGRESS and not TERM_LABEL.fullmatch(self.label):
            raise ValidationError({"label": _("Nhiệm kỳ đại hội ghi theo năm, ví dụ 2025–2030.")})
        self.key = self.key_for(self.origin, self.start_date, self.label)

    @classmethod
    def key_for(cls, origin: str, start_date, label: str) -> str:
        if origin == cls.Origin.CONGRESS:
            return label
        return f"TL{start_date:%y%m%d}" if start_date else ""


def is_superseded(document, signature: Signature) -> bool:
    """Whether a later signature of the same role follows this one on the document (a document
    returned and signed again keeps each signing, numbered by sequence)."""
    return document.signatures.filter(role=signature.role, sequence__gt=signature.sequence).exists()

"""The branch's year on record: its meetings (sinh hoạt chi bộ) with attendance and minutes, and
the evidence (minh chứng) kept per indicator."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Member, Organization
from criteria.models import Indicator
from pledges.models import Registration
from vietnamese.fields import NFCCharField, NFCTextField


def minutes_path(instance, filename: str) -> str:
    # The original name is kept in the row; the stored name reveals nothing.
    return f"minutes/{instance.branch_id}/{uuid.uuid4().hex}"


class Meeting(models.Model):
    """A branch meeting (sinh hoạt chi bộ) with its attendance and minutes."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Thường kỳ")
        THEMATIC = "thematic", _("Chuyên đề")
        # A regular and a thematic meeting held together in one sitting: counts as both, needs
        # 120 minutes (Hướng dẫn 42-HD/BTCTW, 2025).
        COMBINED = "combined", _("Thường kỳ kết hợp chuyên đề")

    REGULAR_KINDS = (Kind.REGULAR, Kind.COMBINED)  # judged by HD 12's framework, counted as regular
    THEMATIC_KINDS = (Kind.THEMATIC, Kind.COMBINED)

    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("Ngày họp"))
    kind = models.CharField(_("Loại"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    topic = NFCCharField(_("Nội dung"), max_length=300)
    duration_minutes = models.PositiveSmallIntegerField(
        _("Thời gian họp (phút)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    # The preparation HD 12 asks for, on record (judged by people, not counted): the chi ủy (or
    # the secretary where there is none) met before the meeting, and the draft resolution.
    committee_met_on = models.DateField(_("Ngày chi ủy họp chuẩn bị"), null=True, blank=True)
    draft_resolution = NFCTextField(_("Dự thảo nghị quyết"), blank=True)
    # The resolution book (sổ nghị quyết): what the meeting resolved, and — recorded at the next
    # regular meeting — what was done of the previous one's resolution.
    resolution = NFCTextField(_("Nghị quyết (kết luận) của kỳ sinh hoạt"), blank=True)
    follow_up = NFCTextField(_("Kết quả thực hiện nghị quyết kỳ trước"), blank=True)
    minutes = models.FileField(_("Biên bản"), upload_to=minutes_path, blank=True)
    minutes_name = models.CharField(max_length=255, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỳ sinh hoạt")
        verbose_name_plural = _("kỳ sinh hoạt")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["branch", "date"], name="meeting_branch_date")]

    def __str__(self):
        return f"{self.branch} {self.date:%d/%m/%Y} ({self.get_kind_display()})"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Có mặt")
        EXCUSED = "excused", _("Vắng có lý do")
        UNEXCUSED = "unexcused", _("Vắng không lý do")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("Dự họp"), max_length=16, choices=Status.choices, default=Status.PRESENT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()}"


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

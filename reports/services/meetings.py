"""Recording branch meetings with their attendance and minutes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Member, Organization, User
from branches.services import tracked
from reports.models import Attendance, Meeting
from reports.uploads import check_upload


@transaction.atomic
def meeting_save(
    *,
    actor: User,
    branch: Organization,
    date: datetime.date,
    kind: str,
    topic: str,
    duration_minutes: int,
    attendance: dict[int, str],
    minutes_file=None,
    meeting: Meeting | None = None,
) -> Meeting:
    """Record a meeting (or correct one): attendance per member of the branch, and the minutes."""
    if not branch.is_branch:
        raise ValidationError(_("Sổ sinh hoạt thuộc về một chi bộ."))
    if date > datetime.date.today():
        raise ValidationError({"date": _("Ngày họp ở tương lai.")})
    members = set(
        Member.objects.filter(pk__in=attendance, branch=branch).values_list("pk", flat=True)
    )
    strangers = set(attendance) - members
    if strangers:
        raise ValidationError(_("Có người không thuộc chi bộ trong danh sách dự họp."))
    if not attendance:
        raise ValidationError(_("Hãy ghi tình hình dự họp của các đảng viên."))
    if any(status not in Attendance.Status.values for status in attendance.values()):
        raise ValidationError(_("Tình hình dự họp không hợp lệ."))
    meeting = meeting or Meeting(branch=branch, created_by=actor)
    meeting.date, meeting.kind, meeting.topic, meeting.duration_minutes = (
        date,
        kind,
        topic,
        duration_minutes,
    )
    if minutes_file is not None:
        checked = check_upload(minutes_file)
        meeting.minutes = minutes_file
        meeting.minutes_name = minutes_file.name[:255]
        meeting.minutes_sha256 = checked.sha256
    meeting.full_clean()
    tracked(
        meeting,
        actor=actor,
        reason=_("Ghi kỳ sinh hoạt") if meeting.pk is None else _("Sửa kỳ sinh hoạt"),
    )
    meeting.save()
    existing = {a.member_id: a for a in meeting.attendance.all()}
    for member_id, status in attendance.items():
        row = existing.get(member_id)
        if row is None:
            Attendance.objects.create(meeting=meeting, member_id=member_id, status=status)
        elif row.status != status:
            row.status = status
            row.save(update_fields=["status"])
    Attendance.objects.filter(meeting=meeting).exclude(member_id__in=attendance).delete()
    return meeting


@transaction.atomic
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    tracked(meeting, actor=actor, reason=_("Xóa kỳ sinh hoạt"))
    meeting.delete()

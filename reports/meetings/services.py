"""Recording branch meetings with their attendance and minutes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from branches.models import Member, Organization, User
from branches.permissions import Action, require_perm
from criteria.models import Indicator
from pledges.models import Registration
from reports.meetings.models import Attendance, Evidence, Meeting
from reports.meetings.uploads import check_upload

# What follows the adding of evidence on the floors above this one: the reviews layer links new
# evidence to the branch's self-assessment still open for that year (reports.reviews.services),
# so a file uploaded under an indicator counts without being ticked again. Registered when the
# app starts (reports.apps); called inside the same transaction.
EVIDENCE_ADDED: list = []


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
    committee_met_on: datetime.date | None = None,
    draft_resolution: str = "",
    resolution: str = "",
    follow_up: str = "",
) -> Meeting:
    """Record a meeting (or correct one): attendance per member of the branch, the minutes, and
    the preparation HD 12 asks for (the chi ủy's meeting before it, the draft resolution)."""
    require_perm(actor, branch, Action.ACT_FOR_BRANCH)
    if meeting is not None:
        require_perm(actor, meeting.branch, Action.ACT_FOR_BRANCH)
    if not branch.is_branch:
        raise ValidationError(_("Sổ sinh hoạt thuộc về một chi bộ."))
    if date > timezone.localdate():
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
    if committee_met_on is not None and committee_met_on > date:
        raise ValidationError(
            {"committee_met_on": _("Chi ủy họp chuẩn bị trước kỳ sinh hoạt, không sau ngày họp.")}
        )
    meeting = meeting or Meeting(branch=branch, created_by=actor)
    meeting.date, meeting.kind, meeting.topic, meeting.duration_minutes = (
        date,
        kind,
        topic,
        duration_minutes,
    )
    meeting.committee_met_on, meeting.draft_resolution = committee_met_on, draft_resolution.strip()
    meeting.resolution, meeting.follow_up = resolution.strip(), follow_up.strip()
    if minutes_file is not None:
        checked = check_upload(minutes_file)
        meeting.minutes = minutes_file
        meeting.minutes_name = minutes_file.name[:255]
        meeting.minutes_sha256 = checked.sha256
    meeting.full_clean()
    tracked(
        meeting,
        actor=actor,
        reason=gettext_noop("Ghi kỳ sinh hoạt")
        if meeting.pk is None
        else gettext_noop("Sửa kỳ sinh hoạt"),
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
    require_perm(actor, meeting.branch, Action.ACT_FOR_BRANCH)
    tracked(meeting, actor=actor, reason=gettext_noop("Xóa kỳ sinh hoạt"))
    meeting.delete()


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    registration: Registration,
    indicator: Indicator,
    year: int,
    file=None,
    note: str = "",
) -> Evidence:
    """Attach a file (PDF, image, Office document) and/or a note to an indicator."""
    require_perm(actor, registration.organization, Action.ACT_FOR_BRANCH)
    if indicator.criterion.plan_id != registration.plan_id:
        raise ValidationError(_("Chỉ tiêu không thuộc kế hoạch này."))
    if year not in registration.plan.years:
        raise ValidationError({"year": _("Năm không thuộc thời gian thực hiện kế hoạch.")})
    if file is None and not note.strip():
        raise ValidationError(_("Hãy chọn tệp hoặc ghi nội dung minh chứng."))
    evidence = Evidence(
        registration=registration,
        indicator=indicator,
        year=year,
        note=note.strip(),
        uploaded_by=actor,
    )
    if file is not None:
        checked = check_upload(file)
        evidence.file = file
        evidence.original_name = file.name[:255]
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.sha256 = checked.sha256
    evidence.full_clean()
    evidence.save()
    for follow in EVIDENCE_ADDED:
        follow(evidence)
    return evidence


# The statuses in which a review is still the branch's to change (reports.reviews.models:
# Review.editable_by_branch; a test keeps the two in step). Evidence is named here by value, as
# the review layer sits above this one.
REVIEW_OPEN_STATUSES = ("draft", "returned")


def is_frozen(evidence: Evidence) -> bool:
    """Used by a review that has been submitted (and not returned to the branch)."""
    return evidence.scores.exclude(review__status__in=REVIEW_OPEN_STATUSES).exists()


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    require_perm(actor, evidence.registration.organization, Action.ACT_FOR_BRANCH)
    if is_frozen(evidence):
        raise ValidationError(_("Minh chứng đã dùng trong bản tự đánh giá đã nộp; không xóa được."))
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()

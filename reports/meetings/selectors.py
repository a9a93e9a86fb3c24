"""The meeting log: who may see it, each meeting's quality, counts per month and per period."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from branches.models import MemberStanding
from branches.selectors import scope_q
from criteria.rules import Verdict, meeting_quality
from pledges.selectors import registrations_visible_to
from reports.meetings.models import Attendance, Evidence, Meeting

Status = Attendance.Status


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(scope_q(user, lookup="branch__path"))


def get_meeting_for(user, pk) -> Meeting:
    return get_object_or_404(meetings_visible_to(user).select_related("branch"), pk=pk)


def get_evidence_for(user, pk) -> Evidence:
    """A piece of evidence of a registration the user can see; 404 otherwise."""
    return get_object_or_404(
        Evidence.objects.filter(registration__in=registrations_visible_to(user)).select_related(
            "registration__organization"
        ),
        pk=pk,
    )


def _left_out_that_day() -> Exists:
    """Whether an attendance row's member was exempt from party meetings or suspended on the
    meeting's day (a recorded MemberStanding covering the date)."""
    return Exists(
        MemberStanding.objects.filter(
            member=OuterRef("attendance__member"),
            kind__in=MemberStanding.LEFT_OUT,
            start_date__lte=OuterRef("date"),
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("date")))
    )


def with_attendance_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Each meeting with its attendance counted in SQL (no query per meeting). Members exempt
    from party meetings or suspended that day are not counted at all (Hướng dẫn 12-HD/BTCTW:
    "trên 85% … trừ trường hợp được miễn"), only reported as `left_out`."""
    left = _left_out_that_day()
    return meetings.annotate(
        members=Count("attendance", filter=~left),
        present=Count("attendance", filter=Q(attendance__status=Status.PRESENT) & ~left),
        excused=Count("attendance", filter=Q(attendance__status=Status.EXCUSED) & ~left),
        unexcused=Count("attendance", filter=Q(attendance__status=Status.UNEXCUSED) & ~left),
        left_out=Count("attendance", filter=left),
    )


def quality_of(meeting: Meeting) -> Verdict:
    """The quality verdict of a meeting annotated by `with_attendance_counts`."""
    return meeting_quality(
        members=meeting.members,
        present=meeting.present,
        unexcused=meeting.unexcused,
        duration_minutes=meeting.duration_minutes,
        has_minutes=bool(meeting.minutes),
        left_out=getattr(meeting, "left_out", 0),
    )


@dataclass
class PeriodCounts:
    start: datetime.date
    end: datetime.date
    regular: int
    thematic: int
    good: int
    total: int
    failed: list[tuple[Meeting, Verdict]]

    @property
    def good_share(self) -> Decimal:
        return Decimal(self.good) * 100 / Decimal(self.total) if self.total else Decimal(0)


def period_counts(branch, start: datetime.date, end: datetime.date) -> PeriodCounts:
    meetings = list(
        with_attendance_counts(
            Meeting.objects.filter(branch=branch, date__range=(start, end))
        ).order_by("date")
    )
    return counts_of(meetings, start, end)


def counts_of(meetings: list[Meeting], start: datetime.date, end: datetime.date) -> PeriodCounts:
    """The counts of a period from its meetings (in date order, annotated as by
    `with_attendance_counts`)."""
    verdicts = [(m, quality_of(m)) for m in meetings]
    return PeriodCounts(
        start=start,
        end=end,
        regular=sum(1 for m in meetings if m.kind == Meeting.Kind.REGULAR),
        thematic=sum(1 for m in meetings if m.kind == Meeting.Kind.THEMATIC),
        good=sum(1 for _m, v in verdicts if v.ok),
        total=len(meetings),
        failed=[(m, v) for m, v in verdicts if not v.ok],
    )


def monthly_counts(branch, year: int) -> list[dict]:
    """Twelve rows: meetings held each month of the year, by kind, and how many were good."""
    meetings = with_attendance_counts(Meeting.objects.filter(branch=branch, date__year=year))
    rows = [{"month": month, "regular": 0, "thematic": 0, "good": 0} for month in range(1, 13)]
    for meeting in meetings:
        row = rows[meeting.date.month - 1]
        row["regular" if meeting.kind == Meeting.Kind.REGULAR else "thematic"] += 1
        row["good"] += quality_of(meeting).ok
    return rows

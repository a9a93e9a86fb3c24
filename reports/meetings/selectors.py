"""The meeting log: who may see it, each meeting's quality, counts per month and per period."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from branches.models import MemberStanding
from branches.selectors import scope_q
from criteria.rules import HD12, MeetingRules, Verdict, meeting_quality
from pledges.models import Registration
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


def _standing_on(member: str, day: str) -> Exists:
    """Whether the member (an outer reference) was exempt from party meetings or suspended on
    the day (an outer reference): a recorded MemberStanding covering it."""
    return Exists(
        MemberStanding.objects.filter(
            member=OuterRef(member),
            kind__in=MemberStanding.LEFT_OUT,
            start_date__lte=OuterRef(day),
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef(day)))
    )


def _left_out_that_day() -> Exists:
    """Whether an attendance row's member was left out on the meeting's day."""
    return _standing_on("attendance__member", "date")


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


def quality_of(
    meeting: Meeting, rules: MeetingRules = HD12, long_absences: tuple[str, ...] = ()
) -> Verdict | None:
    """The verdict of a meeting annotated by `with_attendance_counts` under the plan's
    `rules`: HD 12's framework judges regular meetings (and combined ones); a thematic meeting
    alone is not judged (None). `long_absences`: from `long_absences`, for this meeting."""
    if meeting.kind not in Meeting.REGULAR_KINDS:
        return None
    return meeting_quality(
        members=meeting.members,
        present=meeting.present,
        unexcused=meeting.unexcused,
        duration_minutes=meeting.duration_minutes,
        has_minutes=bool(meeting.minutes),
        left_out=getattr(meeting, "left_out", 0),
        combined=meeting.kind == Meeting.Kind.COMBINED,
        long_absences=long_absences,
        rules=rules,
    )


def meeting_rules_for(branch, year: int) -> MeetingRules:
    """The meeting thresholds of the plan the branch is registered in for `year` (the latest
    issued, if several), or HD 12's defaults."""
    registration = (
        Registration.objects.filter(
            organization=branch, status=Registration.Status.REGISTERED, year=year
        )
        .select_related("plan")
        .order_by("-plan__issue_date", "-pk")
        .first()
    )
    return MeetingRules.of(registration.plan if registration else None)


def long_absences(branch, year: int, until: datetime.date, rules: MeetingRules) -> dict:
    """{meeting id: (names, …)} — at each regular meeting of the year up to `until`, the members
    absent with a reason more than `rules.excused_in_a_row` regular meetings in a row (this one
    included), counted from 1 January (HD 12: "vắng mặt có lý do quá 03 lần liên tiếp trong
    năm"); members exempt or suspended that day are not counted. One query."""
    rows = (
        Attendance.objects.filter(
            meeting__branch=branch,
            meeting__date__year=year,
            meeting__date__lte=until,
            meeting__kind__in=Meeting.REGULAR_KINDS,
        )
        .annotate(left=_standing_on("member", "meeting__date"))
        .filter(left=False)
        .order_by("meeting__date", "meeting_id")
        .values_list("meeting_id", "member_id", "member__full_name", "status")
    )
    return streaks(rows, rules.excused_in_a_row)


def streaks(rows, limit: int) -> dict:
    """From (meeting id, member id, name, status) rows in meeting order: {meeting id: names of
    those whose excused absences in a row pass `limit` at that meeting}. Pure, so the synthetic
    province counts as the pages do."""
    streak: dict[int, int] = {}
    found: dict[int, list[str]] = {}
    for meeting_id, member_id, name, status in rows:
        streak[member_id] = streak.get(member_id, 0) + 1 if status == Status.EXCUSED else 0
        if streak[member_id] > limit:
            found.setdefault(meeting_id, []).append(name)
    return {meeting_id: tuple(sorted(names)) for meeting_id, names in found.items()}


@dataclass
class PeriodCounts:
    start: datetime.date
    end: datetime.date
    regular: int
    thematic: int
    good: int
    total: int
    failed: list[tuple[Meeting, Verdict]]
    # The resolution book: regular meetings of the period that followed one with a resolution,
    # and how many of them recorded what was done of it.
    followable: int = 0
    followed: int = 0
    not_followed: list[Meeting] = field(default_factory=list)

    @property
    def good_share(self) -> Decimal:
        return Decimal(self.good) * 100 / Decimal(self.total) if self.total else Decimal(0)

    @property
    def followed_share(self) -> Decimal:
        return (
            Decimal(self.followed) * 100 / Decimal(self.followable)
            if self.followable
            else Decimal(0)
        )


def period_counts(
    branch, start: datetime.date, end: datetime.date, rules: MeetingRules | None = None
) -> PeriodCounts:
    """The meetings of a period, judged under `rules` (by default the plan the branch is
    registered in for the year), and the resolution book's follow-ups: four queries."""
    rules = rules or meeting_rules_for(branch, start.year)
    meetings = list(
        with_attendance_counts(
            Meeting.objects.filter(branch=branch, date__range=(start, end))
        ).order_by("date", "pk")
    )
    before = (
        Meeting.objects.filter(branch=branch, date__lt=start, kind__in=Meeting.REGULAR_KINDS)
        .order_by("-date", "-pk")
        .only("resolution")
        .first()
    )
    return counts_of(
        meetings, start, end, rules, long_absences(branch, start.year, end, rules), before
    )


def counts_of(
    meetings: list[Meeting],
    start: datetime.date,
    end: datetime.date,
    rules: MeetingRules = HD12,
    absences: dict | None = None,
    before: Meeting | None = None,
) -> PeriodCounts:
    """The counts of a period from its meetings (in date order, annotated as by
    `with_attendance_counts`): a combined meeting counts as a regular and a thematic one; only
    the regular ones are judged (`total` is their number)."""
    absences = absences or {}
    judged = [
        (m, quality_of(m, rules, absences.get(m.pk, ())))
        for m in meetings
        if m.kind in Meeting.REGULAR_KINDS
    ]
    # Each regular meeting after one with a resolution should record what was done of it.
    previous, followable, not_followed = before, 0, []
    for meeting in meetings:
        if meeting.kind not in Meeting.REGULAR_KINDS:
            continue
        if previous is not None and previous.resolution.strip():
            followable += 1
            if not meeting.follow_up.strip():
                not_followed.append(meeting)
        previous = meeting
    return PeriodCounts(
        followable=followable,
        followed=followable - len(not_followed),
        not_followed=not_followed,
        start=start,
        end=end,
        regular=sum(1 for m in meetings if m.kind in Meeting.REGULAR_KINDS),
        thematic=sum(1 for m in meetings if m.kind in Meeting.THEMATIC_KINDS),
        good=sum(1 for _m, v in judged if v.ok),
        total=len(judged),
        failed=[(m, v) for m, v in judged if not v.ok],
    )


def judged_meetings(
    branch, year: int, rules: MeetingRules | None = None
) -> list[tuple[Meeting, Verdict | None]]:
    """The year's meetings of the branch, latest first, each with its verdict under `rules` (by
    default the plan's; None for a thematic meeting)."""
    meetings = with_attendance_counts(
        Meeting.objects.filter(branch=branch, date__year=year)
    ).order_by("-date", "-pk")
    rules = rules or meeting_rules_for(branch, year)
    absences = long_absences(branch, year, datetime.date(year, 12, 31), rules)
    return [(m, quality_of(m, rules, absences.get(m.pk, ()))) for m in meetings]


def monthly_counts(branch, year: int) -> list[dict]:
    return months_of(judged_meetings(branch, year))


def months_of(judged: list[tuple[Meeting, Verdict | None]]) -> list[dict]:
    """Twelve rows: meetings held each month, by kind (a combined one in both), and how many
    regular ones met the counted criteria, from the judged meetings of one year."""
    rows = [{"month": month, "regular": 0, "thematic": 0, "good": 0} for month in range(1, 13)]
    for meeting, verdict in judged:
        row = rows[meeting.date.month - 1]
        row["regular"] += meeting.kind in Meeting.REGULAR_KINDS
        row["thematic"] += meeting.kind in Meeting.THEMATIC_KINDS
        row["good"] += bool(verdict and verdict.ok)
    return rows

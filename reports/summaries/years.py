"""The years a user's pages are about: which are in progress (what the start page opens on), and
which hold any data (the year switcher). Not the calendar year: in January, for a late branch or
for a phase plan, the work in progress is often an earlier year's (reports.reviews.progress)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from branches.models import Member
from criteria.models import Plan
from criteria.selectors import plans_visible_to
from reports.meetings.models import Attendance
from reports.ratings.models import MemberRating
from reports.reviews.progress import PlanYear, plan_years_in_progress


@dataclass
class Years:
    """What the start page and the year switcher need."""

    default: int
    with_data: list[int] = field(default_factory=list)
    in_progress: list[PlanYear] = field(default_factory=list)

    @property
    def in_progress_years(self) -> set[int]:
        return {item.year for item in self.in_progress}

    def choices(self, selected: int) -> list[tuple[int, bool]]:
        """(year, in progress) for the switcher: every year with data, and the one shown."""
        progress = self.in_progress_years
        return [(year, year in progress) for year in sorted({*self.with_data, selected})]


def years_for(user, *, today: datetime.date | None = None) -> Years:
    """The plan years in progress among the plans the user's roles reach (any year, oldest
    first), every year of those plans that has begun, and the year to open on: the latest in
    progress, else the latest with data, else this year. A member without a role: the years of
    their own ratings and attendance."""
    this_year = (today or timezone.localdate()).year
    plans = list(
        plans_visible_to(user)
        .exclude(status=Plan.Status.DRAFT)
        .select_related("issuer")
        .order_by("issuer__path", "-issue_date")
    )
    if not plans:
        return _member_years(user, this_year)
    in_progress = plan_years_in_progress(plans, today=today)
    with_data = {
        year
        for plan in plans
        for year in plan.years
        if year <= this_year or year == plan.start_year
    }
    if in_progress:
        default = max(item.year for item in in_progress)
    else:
        default = max((y for y in with_data if y <= this_year), default=this_year)
    return Years(default=default, with_data=sorted(with_data), in_progress=in_progress)


def _member_years(user, this_year: int) -> Years:
    member = Member.objects.filter(user=user, is_active=True).first()
    if member is None:
        return Years(default=this_year, with_data=[this_year])
    years = set(MemberRating.objects.filter(member=member).values_list("year", flat=True))
    years |= {
        d.year for d in Attendance.objects.filter(member=member).dates("meeting__date", "year")
    }
    if this_year in years or not years:
        return Years(default=this_year, with_data=sorted(years | {this_year}))
    return Years(default=max(y for y in years if y <= this_year), with_data=sorted(years))

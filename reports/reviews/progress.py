"""Which years of a plan are in progress, and which round of a year: what pages open on when no
year is asked for (issue 19). The calendar year is the wrong answer in January, for a late
branch, or for a phase plan whose office came back to it later: a year is in progress until its
final review is finalized for every registered organization, whatever today's date."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from criteria.models import Plan
from pledges.models import Registration
from reports.reviews.models import Review

FINALIZED = Review.Status.FINALIZED


@dataclass(frozen=True)
class PlanYear:
    """One year of a plan in progress, with the round its work is in."""

    plan: Plan
    year: int
    round: str


@dataclass
class _Counts:
    registered: dict = field(default_factory=lambda: defaultdict(int))  # per year
    interim_finalized: dict = field(default_factory=lambda: defaultdict(int))
    final_finalized: dict = field(default_factory=lambda: defaultdict(int))
    final_started: set = field(default_factory=set)


def _counts(plans: list[Plan]) -> dict[int, _Counts]:
    """Per plan and year (a plan over several years is registered for year by year): its
    registered organizations, the finalized interim and final reviews and whether the final
    round has begun — two queries for any number of plans."""
    counts = {p.pk: _Counts() for p in plans}
    for row in (
        Registration.objects.filter(plan__in=plans, status=Registration.Status.REGISTERED)
        .values("plan_id", "year")
        .annotate(n=Count("id"))
    ):
        counts[row["plan_id"]].registered[row["year"]] = row["n"]
    for row in (
        Review.objects.filter(
            registration__plan__in=plans,
            registration__status=Registration.Status.REGISTERED,
        )
        .values("registration__plan_id", "year", "round")
        .annotate(n=Count("id"), finalized=Count("id", filter=Q(status=FINALIZED)))
    ):
        plan_counts = counts[row["registration__plan_id"]]
        if row["round"] == Review.Round.FINAL:
            plan_counts.final_started.add(row["year"])
            plan_counts.final_finalized[row["year"]] += row["finalized"]
        else:
            plan_counts.interim_finalized[row["year"]] += row["finalized"]
    return counts


def _round(plan: Plan, year: int, counts: _Counts) -> str:
    """The interim round while the plan has one, its reviews are not all finalized and the final
    round of the year has not begun; the final round otherwise."""
    if (
        plan.interim_review_deadline
        and year not in counts.final_started
        and counts.interim_finalized[year] < max(counts.registered[year], 1)
    ):
        return Review.Round.INTERIM
    return Review.Round.FINAL


def plan_years_in_progress(plans, *, today=None) -> list[PlanYear]:
    """The years of the published `plans` that are in progress, oldest first: every year that
    has begun (and a plan's first year as soon as it is issued: registration is open) until
    every registered organization's final review of that year is finalized."""
    plans = [p for p in plans if p.status == Plan.Status.PUBLISHED]
    if not plans:
        return []
    this_year = (today or timezone.localdate()).year
    counts = _counts(plans)
    found = []
    for plan in plans:
        plan_counts = counts[plan.pk]
        for year in plan.years:
            if year > this_year and year != plan.start_year:
                break
            registered = plan_counts.registered[year]
            done = registered and plan_counts.final_finalized[year] >= registered
            if not done:
                found.append(PlanYear(plan, year, _round(plan, year, plan_counts)))
    return sorted(found, key=lambda item: (item.year, item.plan.pk))


def round_in_progress(plan: Plan, year: int) -> str:
    """The round a plan's pages open on for `year` (`_round`)."""
    return _round(plan, year, _counts([plan])[plan.pk])


def year_in_progress(plan: Plan, *, fallback_year: int | None = None) -> int:
    """The year a plan's pages open on: its latest year in progress; for a plan with nothing in
    progress, `fallback_year` (the year the user is working on) or this year if the plan covers
    it, else its last year."""
    in_progress = plan_years_in_progress([plan])
    if in_progress:
        return in_progress[-1].year
    for year in (fallback_year, timezone.localdate().year):
        if year in plan.years:
            return year
    return plan.end_year

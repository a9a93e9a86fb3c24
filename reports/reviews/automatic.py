"""Indicators with an automatic source are filled from the meeting log and the member ratings.

While a self-assessment is a draft the values are computed on every read, so a meeting added
or corrected shows at once; submitting freezes them into the review."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from criteria.models import Indicator, Plan
from criteria.rules import Level
from reports.meetings.selectors import PeriodCounts, period_counts
from reports.ratings.models import MemberRating
from reports.reviews.models import Review
from vietnamese.numbers import number

A = Indicator.AutoSource
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class AutoValue:
    achieved: Decimal | None
    note: str
    suggested_score: Decimal | None


def review_period(plan: Plan, year: int, round: str) -> tuple[datetime.date, datetime.date]:
    """A final review covers the calendar year; an interim one runs from 1 January to the plan's
    interim deadline (the same day and month in later years of a phase), else to 30 June."""
    start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if round == Review.Round.FINAL:
        return start, year_end
    deadline = plan.deadline_for_year("interim_review_deadline", year)
    return start, min(deadline, year_end) if deadline else datetime.date(year, 6, 30)


def suggested_score(
    points: Decimal, achieved: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """Points in proportion to the target reached, never above the indicator's points."""
    if achieved is None:
        return None
    if not target:
        return points if achieved > 0 else Decimal(0)
    share = min(Decimal(1), Decimal(achieved) / Decimal(target))
    return (points * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def automatic_value(
    indicator: Indicator,
    *,
    organization,
    plan: Plan,
    year: int,
    round: str,
    target: Decimal | None,
    counts: PeriodCounts | None = None,
    levels: list[str] | None = None,
) -> AutoValue | None:
    """The indicator's value from the meeting log or the member ratings. `counts` (the meetings of
    the review period) and `levels` (the year's rating levels) may be passed when the caller has
    them already, so a sheet or a bulk builder reads them once instead of once per indicator."""
    source = indicator.auto_source
    if not source:
        return None
    start, end = review_period(plan, year, round)
    period = _("từ %(start)s đến %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }
    if source in (A.REGULAR_MEETINGS, A.THEMATIC_MEETINGS, A.MEETING_QUALITY):
        counts = counts if counts is not None else period_counts(organization, start, end)
        if source == A.REGULAR_MEETINGS:
            achieved = Decimal(counts.regular)
            note = _("%(n)s kỳ sinh hoạt thường kỳ %(period)s (sổ sinh hoạt chi bộ).") % {
                "n": counts.regular,
                "period": period,
            }
        elif source == A.THEMATIC_MEETINGS:
            achieved = Decimal(counts.thematic)
            note = _("%(n)s kỳ sinh hoạt chuyên đề %(period)s (sổ sinh hoạt chi bộ).") % {
                "n": counts.thematic,
                "period": period,
            }
        else:
            achieved = counts.good_share.quantize(Decimal("0.01"))
            note = _("%(good)s/%(total)s kỳ sinh hoạt đạt chất lượng %(period)s (%(share)s%%).") % {
                "good": counts.good,
                "total": counts.total,
                "period": period,
                "share": number(achieved, 1),
            }
            if counts.failed:
                note += " " + _("Kỳ chưa đạt: %(list)s.") % {
                    "list": "; ".join(
                        f"{m.date:%d/%m} ({', '.join(v.failures)})" for m, v in counts.failed[:6]
                    )
                }
        return AutoValue(achieved, note, suggested_score(indicator.points, achieved, target))
    if levels is None:
        levels = [r.level for r in MemberRating.objects.filter(branch=organization, year=year)]
    levels = [level for level in levels if level]
    if not levels:
        return AutoValue(None, _("Chưa có xếp loại đảng viên năm %(year)s.") % {"year": year}, None)
    floor = Level.COMPLETED if source == A.MEMBERS_COMPLETED else Level.GOOD
    reached = sum(1 for level in levels if Level(level).at_least(floor))
    achieved = (Decimal(reached) * HUNDRED / Decimal(len(levels))).quantize(Decimal("0.01"))
    note = _(
        "%(n)s/%(total)s đảng viên được xếp loại %(level)s trở lên năm %(year)s (%(share)s%%)."
    ) % {
        "n": reached,
        "total": len(levels),
        "level": floor.label.lower(),
        "year": year,
        "share": number(achieved, 1),
    }
    return AutoValue(achieved, note, suggested_score(indicator.points, achieved, target))

"""Indicators with an automatic source are filled from the meeting log and the member ratings.

While a self-assessment is a draft the values are computed on every read, so a meeting added
or corrected shows at once; submitting freezes them into the review."""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from criteria.models import Indicator, Plan
from criteria.rules import Level, MeetingRules
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


def scored(
    indicator: Indicator,
    achieved: Decimal | None,
    target: Decimal | None,
    short: Decimal | None,
) -> tuple[Decimal | None, str]:
    """The score the indicator's rule in the plan gives (`Indicator.score_rule`), with the
    working in words: in proportion to the target, or the full points less `score_step` for each
    unit `short` of the target, never below 0 nor above the points."""
    points = indicator.points
    if achieved is None:
        return None, ""
    if indicator.score_rule == Indicator.ScoreRule.DEDUCT and indicator.score_step:
        short = max(Decimal(0), short if short is not None else Decimal(0))
        score = max(Decimal(0), points - short * indicator.score_step).quantize(Decimal("0.01"))
        return score, _(
            "Theo kế hoạch: đủ mức cam kết được %(points)s điểm, thiếu mỗi %(unit)s trừ %(step)s điểm; thiếu %(short)s: %(score)s điểm."
        ) % {
            "points": number(points),
            "unit": indicator.deduct_unit,
            "step": number(indicator.score_step),
            "short": number(short),
            "score": number(score),
        }
    score = suggested_score(points, achieved, target)
    if not target:
        return score, _("Theo kế hoạch: có kết quả được %(points)s điểm: %(score)s điểm.") % {
            "points": number(points),
            "score": number(score),
        }
    return score, _(
        "Theo kế hoạch, tính theo tỷ lệ: %(points)s × %(achieved)s/%(target)s (tối đa %(points)s) = %(score)s điểm."
    ) % {
        "points": number(points),
        "achieved": number(achieved),
        "target": number(target),
        "score": number(score),
    }


def interim_target(
    plan: Plan, target: Decimal | None, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """The target a count of meetings is held to at the interim round, when the plan says the
    interim round counts pro rata (`Plan.interim_pro_rata`): the year's target × the days of the
    period / the days of the year, rounded half up to whole meetings (12 kỳ by 30/6 → 6)."""
    if target is None or not plan.interim_pro_rata:
        return target
    year_days = (datetime.date(start.year, 12, 31) - datetime.date(start.year, 1, 1)).days + 1
    days = (end - start).days + 1
    return (Decimal(target) * days / year_days).quantize(Decimal(1), rounding=ROUND_HALF_UP)


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
    if source in (
        A.REGULAR_MEETINGS,
        A.THEMATIC_MEETINGS,
        A.MEETING_QUALITY,
        A.RESOLUTIONS_FOLLOWED,
    ):
        counts = (
            counts
            if counts is not None
            else period_counts(organization, start, end, MeetingRules.of(plan))
        )
        if source in (A.REGULAR_MEETINGS, A.THEMATIC_MEETINGS):
            held = counts.regular if source == A.REGULAR_MEETINGS else counts.thematic
            achieved = Decimal(held)
            template = (
                _("%(n)s kỳ sinh hoạt thường kỳ %(period)s (sổ sinh hoạt chi bộ).")
                if source == A.REGULAR_MEETINGS
                else _("%(n)s kỳ sinh hoạt chuyên đề %(period)s (sổ sinh hoạt chi bộ).")
            )
            note = template % {"n": held, "period": period}
            if round == Review.Round.INTERIM and plan.interim_pro_rata and target is not None:
                full, target = target, interim_target(plan, target, start, end)
                note += " " + _(
                    "Sơ kết: mức cam kết %(target)s kỳ (theo số ngày đã qua của mức cả năm %(full)s kỳ)."
                ) % {"target": number(target), "full": number(full)}
            short = None if target is None else Decimal(target) - achieved
        elif source == A.RESOLUTIONS_FOLLOWED:
            if not counts.followable:
                return AutoValue(
                    None,
                    _("Chưa có kỳ sinh hoạt nào sau một kỳ có nghị quyết %(period)s.")
                    % {"period": period},
                    None,
                )
            achieved = counts.followed_share.quantize(Decimal("0.01"))
            short = None if target is None else Decimal(target) - achieved
            note = _(
                "%(done)s/%(total)s kỳ sinh hoạt thường kỳ có kiểm điểm kết quả thực hiện nghị quyết kỳ trước %(period)s (%(share)s%%) (sổ nghị quyết)."
            ) % {
                "done": counts.followed,
                "total": counts.followable,
                "period": period,
                "share": number(achieved, 1),
            }
            if counts.not_followed:
                note += " " + _("Chưa ghi: %(list)s.") % {
                    "list": ", ".join(f"{m.date:%d/%m}" for m in counts.not_followed[:6])
                }
        else:
            achieved = counts.good_share.quantize(Decimal("0.01"))
            short = None if target is None else Decimal(target) - achieved
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
        score, working = scored(indicator, achieved, target, short)
        return AutoValue(achieved, f"{note} {working}".strip(), score)
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
    # Members short of the target share: those needed to reach it (rounded up) less those who do.
    short = (
        None
        if target is None
        else Decimal(
            max(
                0,
                math.ceil(Decimal(target) * len(levels) / HUNDRED) - reached,
            )
        )
    )
    score, working = scored(indicator, achieved, target, short)
    return AutoValue(achieved, f"{note} {working}".strip(), score)

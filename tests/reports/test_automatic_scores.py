"""Automatic indicator scores follow the rule written in the plan (issue 17 item 6): each rule
kind at its edges, the working shown in words, and the interim round pro rata where the plan
says so."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from criteria.models import Indicator, Plan
from criteria.rules import Level
from reports.meetings.selectors import PeriodCounts
from reports.reviews.automatic import automatic_value, interim_target, scored
from reports.reviews.models import Review

A = Indicator.AutoSource
R = Indicator.ScoreRule


def _indicator(points, rule=R.PROPORTIONAL, step=None, source=A.REGULAR_MEETINGS, unit="kỳ"):
    return Indicator(
        points=Decimal(points),
        score_rule=rule,
        score_step=None if step is None else Decimal(step),
        auto_source=source,
        unit=unit,
    )


@pytest.mark.parametrize(
    ("held", "score"),
    [(12, "8"), (13, "8"), (11, "6"), (10, "4"), (9, "2"), (8, "0"), (0, "0")],
)
def test_deduct_per_meeting_short_never_below_zero(held, score):
    """ "Đủ 12 kỳ: 8 điểm; thiếu mỗi kỳ: trừ 2 điểm." (the template's guide)."""
    indicator = _indicator(8, R.DEDUCT, 2)
    value, working = scored(indicator, Decimal(held), Decimal(12), Decimal(12 - held))
    assert value == Decimal(score)
    assert "thiếu mỗi kỳ trừ 2 điểm" in working


@pytest.mark.parametrize(("held", "score"), [(4, "5"), (3, "3.5"), (2, "2"), (1, "0.5"), (0, "0")])
def test_deduct_with_a_fractional_step(held, score):
    """ "Đủ 4 kỳ: 5 điểm; thiếu mỗi kỳ: trừ 1,5 điểm.": 3 thematic meetings give 3,5, not 3,75."""
    value, _working = scored(
        _indicator(5, R.DEDUCT, "1.5"), Decimal(held), Decimal(4), Decimal(4 - held)
    )
    assert value == Decimal(score)


@pytest.mark.parametrize(
    ("achieved", "target", "score"),
    [
        ("100", "100", "7"),
        ("50", "100", "3.5"),
        ("0", "100", "0"),
        ("90", "80", "8"),
        ("60", "80", "6"),
    ],
)
def test_proportional_to_the_target_never_above_the_points(achieved, target, score):
    points = "7" if target == "100" else "8"
    value, working = scored(_indicator(points), Decimal(achieved), Decimal(target), None)
    assert value == Decimal(score) and "tính theo tỷ lệ" in working


def _counts(regular=0, thematic=0, good=0, total=0):
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    return PeriodCounts(start, end, regular, thematic, good, total, [])


def _value(indicator, round=Review.Round.FINAL, target=Decimal(12), plan=None, **kwargs):
    plan = plan or Plan(
        start_year=2026, end_year=2026, interim_review_deadline=datetime.date(2026, 6, 30)
    )
    return automatic_value(
        indicator, organization=None, plan=plan, year=2026, round=round, target=target, **kwargs
    )


def test_members_short_of_the_target_share_are_counted_one_by_one():
    """ "100%: 10 điểm; mỗi đảng viên không hoàn thành nhiệm vụ: trừ 3 điểm.": one member of ten
    failing gives 7; the note names the members and the rule."""
    indicator = _indicator(10, R.DEDUCT, 3, source=A.MEMBERS_COMPLETED, unit="")
    levels = [Level.GOOD] * 9 + [Level.FAILED]
    value = _value(indicator, target=Decimal(100), levels=levels)
    assert value.suggested_score == Decimal(7)
    assert (
        "9/10 đảng viên" in value.note and "thiếu mỗi đảng viên trừ 3 điểm; thiếu 1" in value.note
    )
    # 80% of 7 members is 5,6: 6 are needed; 5 reaching it are 1 short.
    indicator = _indicator(8, R.DEDUCT, 2, source=A.MEMBERS_GOOD, unit="")
    value = _value(indicator, target=Decimal(80), levels=[Level.GOOD] * 5 + [Level.COMPLETED] * 2)
    assert value.suggested_score == Decimal(6)


def test_the_interim_round_counts_pro_rata_only_where_the_plan_says_so():
    indicator = _indicator(8, R.DEDUCT, 2)
    plan = Plan(start_year=2026, end_year=2026, interim_review_deadline=datetime.date(2026, 6, 30))
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
    assert interim_target(plan, Decimal(12), start, end) == Decimal(12)  # off: the year's target
    plan.interim_pro_rata = True
    assert interim_target(plan, Decimal(12), start, end) == Decimal(6)  # 181/365 × 12 = 5,95
    assert interim_target(plan, Decimal(4), start, end) == Decimal(2)
    six = _counts(regular=6)
    on = _value(indicator, round=Review.Round.INTERIM, plan=plan, counts=six)
    assert on.suggested_score == Decimal(8) and "mức cam kết 6 kỳ" in on.note
    plan.interim_pro_rata = False
    off = _value(indicator, round=Review.Round.INTERIM, plan=plan, counts=six)
    assert off.suggested_score == Decimal(0)  # 6 short of 12: 8 − 12 < 0


def test_a_deduct_rule_needs_its_step(world, live_plan):
    indicator = Indicator.objects.filter(criterion__plan=live_plan).first()
    indicator.score_rule, indicator.score_step = R.DEDUCT, None
    with pytest.raises(ValidationError, match="cần số điểm trừ cho mỗi đơn vị thiếu"):
        indicator.full_clean()


def test_the_standard_template_writes_its_guides_as_rules(world, live_plan):
    rules = {
        i.auto_source: (i.score_rule, i.score_step)
        for i in Indicator.objects.filter(criterion__plan=live_plan).exclude(auto_source="")
    }
    assert rules[A.REGULAR_MEETINGS] == (R.DEDUCT, Decimal(2))
    assert rules[A.THEMATIC_MEETINGS] == (R.DEDUCT, Decimal("1.5"))
    assert rules[A.MEMBERS_COMPLETED] == (R.DEDUCT, Decimal(3))
    assert rules[A.MEETING_QUALITY] == (R.PROPORTIONAL, None)
    assert rules[A.MEMBERS_GOOD] == (R.PROPORTIONAL, None)

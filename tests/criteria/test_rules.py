"""The rating rule sets at every band edge, the 20% cap and the branch-versus-members conditions."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria.rules import (
    RULE_SETS,
    CollectiveFacts,
    Level,
    PoolCounts,
    Rules124,
    Rules366,
    rule_set,
    rules_for_year,
)

BOTH = list(RULE_SETS.values())


@pytest.mark.parametrize("rules", BOTH, ids=[r.code for r in BOTH])
@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", Level.FAILED),
        ("49.99", Level.FAILED),
        ("50", Level.COMPLETED),
        ("69.99", Level.COMPLETED),
        ("70", Level.GOOD),
        ("89.99", Level.GOOD),
        ("90", Level.EXCELLENT),
        ("100", Level.EXCELLENT),
    ],
)
def test_score_bands_at_every_edge(rules, score, level):
    verdict = rules.band(Decimal(score))
    assert verdict.level == level
    assert str(level.label) in verdict.reason


def test_band_explains_itself_in_vietnamese():
    assert (
        Rules366().band(Decimal("87.5")).reason
        == "87,5/100 điểm, từ 70 đến dưới 90 điểm: Hoàn thành tốt nhiệm vụ."
    )
    assert (
        Rules366().band(Decimal("92")).reason
        == "92/100 điểm, từ 90 điểm trở lên: Hoàn thành xuất sắc nhiệm vụ."
    )
    assert (
        Rules366().band(Decimal("40")).reason
        == "40/100 điểm, dưới 50 điểm: Không hoàn thành nhiệm vụ."
    )


def test_scores_on_another_frame_are_normalized():
    assert Rules366().band(Decimal("45"), Decimal("50")).level == Level.EXCELLENT


def test_default_rule_set_is_the_current_regulation():
    from criteria.rules import DEFAULT_RULE_SET

    assert DEFAULT_RULE_SET == "366-2025"
    assert "366-QĐ/TW" in str(rule_set(DEFAULT_RULE_SET).regulation)


def _pool(excellent, good, completed=0, failed=0):
    return PoolCounts(
        rated=excellent + good + completed + failed,
        excellent=excellent,
        good=good,
        completed=completed,
        failed=failed,
    )


@pytest.mark.parametrize("rules", BOTH, ids=[r.code for r in BOTH])
def test_excellent_capped_at_20_percent_of_those_rated_good_rounded_down(rules, settings):
    """The text: 20% of those rated "hoàn thành tốt nhiệm vụ". 52 → 10; 7 → 1; 4 → 0."""
    settings.BONTOT_RATING_CAP_BASE = ""
    verdict = rules.excellent_cap(_pool(10, 52, 13))
    assert verdict.ok and (verdict.base, verdict.allowed) == (52, 10)
    breach = rules.excellent_cap(_pool(13, 52, 13))
    assert not breach.ok
    assert breach.reason == (
        "13 hoàn thành xuất sắc nhiệm vụ; so với 52 hoàn thành tốt nhiệm vụ: 25%; so với 65 hoàn "
        "thành tốt nhiệm vụ trở lên: 20%. Tối đa 20% của 52 hoàn thành tốt nhiệm vụ là 10. "
        "Vượt tỷ lệ: cần giảm 3."
    )
    assert rules.excellent_cap(_pool(1, 7)).ok  # 20% of 7 = 1,4 → 1
    assert not rules.excellent_cap(_pool(2, 7)).ok
    assert not rules.excellent_cap(_pool(1, 4)).ok  # 20% of 4 = 0,8 → 0
    assert rules.excellent_cap(_pool(0, 4)).ok


def test_counting_good_and_above_is_a_setting_and_both_shares_are_shown(settings):
    settings.BONTOT_RATING_CAP_BASE = "good_or_better"
    verdict = Rules366().excellent_cap(_pool(13, 52, 13))  # Vĩnh Phúc 2022: 13 of 65
    assert verdict.ok and (verdict.base, verdict.allowed) == (65, 13)
    assert "so với 52 hoàn thành tốt nhiệm vụ: 25%" in verdict.reason
    assert "so với 65 hoàn thành tốt nhiệm vụ trở lên: 20%" in verdict.reason
    assert not Rules366().excellent_cap(_pool(13, 51, 14)).ok  # 20% of 64 = 12,8 → 12


def test_outstanding_results_allow_25_percent_under_366_never_more(settings):
    settings.BONTOT_RATING_CAP_BASE = ""
    rules = Rules366()
    assert rules.excellent_cap(_pool(13, 52), outstanding=True).ok  # 25% of 52 = 13
    assert not rules.excellent_cap(_pool(14, 52), outstanding=True).ok
    assert rules.excellent_cap(_pool(1, 4), outstanding=True).ok  # 25% of 4 = 1
    assert not rules.excellent_cap(_pool(2, 7), outstanding=True).ok  # 25% of 7 = 1,75 → 1
    # 124 has no such exception: the decision changes nothing.
    assert not Rules124().excellent_cap(_pool(13, 52), outstanding=True).ok


def test_the_year_rated_picks_the_regulation_in_force_on_its_last_day():
    assert [rules_for_year(y).code for y in (2019, 2022, 2023, 2024, 2025, 2030)] == [
        "132-2018",
        "132-2018",
        "124-2023",  # in force from 4/10/2023
        "124-2023",
        "366-2025",  # in force from 30/8/2025
        "366-2025",
    ]


@given(
    good=st.integers(min_value=0, max_value=10_000),
    excellent=st.integers(min_value=0, max_value=10_000),
    outstanding=st.booleans(),
)
def test_cap_allows_exactly_the_floor_of_the_share(good, excellent, outstanding):
    from django.test import override_settings

    with override_settings(BONTOT_RATING_CAP_BASE=""):
        verdict = Rules366().excellent_cap(_pool(excellent, good), outstanding=outstanding)
    denominator = 4 if outstanding else 5
    assert verdict.ok == (denominator * excellent <= good)


@given(
    a=st.decimals(min_value=0, max_value=100, places=2),
    b=st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_higher_score_never_gets_a_lower_band(a, b):
    low, high = sorted([a, b])
    for rules in BOTH:
        assert rules.band(high).level.rank <= rules.band(low).level.rank


def test_branch_excellent_needs_all_members_completed_and_80_percent_good():
    rules = Rules366()
    assert rules.check_branch_against_members(
        level=Level.EXCELLENT, members=20, completed_or_better=20, good_or_better=16
    ).ok
    short_good = rules.check_branch_against_members(
        level=Level.EXCELLENT, members=20, completed_or_better=20, good_or_better=15
    )
    assert (
        not short_good.ok
        and "15/20 đảng viên (75%) hoàn thành tốt nhiệm vụ trở lên, cần ít nhất 80%"
        in short_good.reason
    )
    one_failed = rules.check_branch_against_members(
        level=Level.EXCELLENT, members=20, completed_or_better=19, good_or_better=19
    )
    assert (
        not one_failed.ok
        and "19/20 đảng viên (95%) hoàn thành nhiệm vụ trở lên, cần 100%" in one_failed.reason
    )
    assert rules.check_branch_against_members(
        level=Level.GOOD, members=20, completed_or_better=10, good_or_better=2
    ).ok


def test_366_excellent_needs_30_percent_of_tasks_exceeding():
    facts = CollectiveFacts(score=Decimal(95), exceeding_task_share=Decimal("0.2"))
    verdict = Rules366().rate_collective(facts)
    assert verdict.level == Level.GOOD
    assert "chỉ 20% nhiệm vụ vượt yêu cầu, cần ít nhất 30%" in verdict.reason
    assert Rules124().rate_collective(facts).level == Level.EXCELLENT


def test_discipline_blocks_excellent_under_both():
    facts = CollectiveFacts(
        score=Decimal(95), exceeding_task_share=Decimal("0.5"), disciplined=True
    )
    for rules in BOTH:
        verdict = rules.rate_collective(facts)
        assert verdict.level == Level.GOOD
        assert "bị kỷ luật" in verdict.reason


def test_unfinished_tasks_fall_to_failed():
    verdict = Rules366().rate_collective(CollectiveFacts(score=Decimal(75), all_tasks_done=False))
    assert verdict.level == Level.FAILED
    assert "chưa hoàn thành 100% nhiệm vụ được giao" in verdict.reason


def test_late_tasks_lower_good_to_completed():
    verdict = Rules366().rate_collective(
        CollectiveFacts(score=Decimal(80), late_task_share=Decimal("0.1"))
    )
    assert verdict.level == Level.COMPLETED

"""The rating rule sets at every band edge, the 20% cap and the branch-versus-members conditions."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria.rules import RULE_SETS, CollectiveFacts, Level, Rules124, Rules366, rule_set

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


@pytest.mark.parametrize("rules", BOTH, ids=[r.code for r in BOTH])
def test_excellent_members_capped_at_20_percent_of_the_pool(rules):
    # The pool counts the "xuất sắc" members themselves (docs/rules.md).
    ok = rules.check_member_excellent_cap(excellent=13, good_or_better=65)
    assert ok.ok
    assert (
        ok.reason
        == "13 đảng viên hoàn thành xuất sắc nhiệm vụ trên 65 đảng viên hoàn thành tốt nhiệm vụ trở lên (20%): không vượt quá 20%."
    )
    breach = rules.check_member_excellent_cap(excellent=13, good_or_better=64)
    assert not breach.ok
    assert "vượt quá 20%: tối đa 12 đảng viên" in breach.reason


@given(
    pool=st.integers(min_value=0, max_value=10_000),
    excellent=st.integers(min_value=0, max_value=10_000),
)
def test_cap_allows_exactly_floor_of_a_fifth(pool, excellent):
    verdict = Rules366().check_member_excellent_cap(excellent=excellent, good_or_better=pool)
    assert verdict.ok == (excellent <= pool and 5 * excellent <= pool)


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

"""Member ratings under the regulation of the year rated: the three columns, the cap on "xuất
sắc" in one pool (decided levels of rateable members only, 20% of those rated "hoàn thành tốt",
25% by a recorded decision on outstanding results, never more), who is left out, re-rating."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from branches.models import MemberStanding
from criteria.rules import Level
from reports.ratings import services
from reports.ratings.models import MemberRating, RuleException
from reports.ratings.selectors import committee_level_counts, member_cap_check
from tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def _count_as_the_text_reads(settings):
    settings.BONTOT_RATING_CAP_BASE = ""


def _rate(world, excellent, good, completed, branch=None, year=None, column="decided_level"):
    branch = branch or world.branch_a
    year = year or timezone.localdate().year
    levels = [Level.EXCELLENT] * excellent + [Level.GOOD] * good + [Level.COMPLETED] * completed
    for level in levels:
        MemberRating.objects.create(
            member=MemberFactory(branch=branch), branch=branch, year=year, **{column: level}
        )
    return year


def _sheet(member, year, score=Decimal(95), exceeding=Decimal("0.4"), **facts):
    """The member's sheet on the frame, as the branch enters it (written directly)."""
    rating, _created = MemberRating.objects.get_or_create(
        member=member, year=year, defaults={"branch": member.branch}
    )
    rating.score, rating.exceeding_share = score, exceeding
    for name, value in facts.items():
        setattr(rating, name, value)
    rating.save()
    return rating


def _decide(world, member, level, year, **extra):
    if level == Level.EXCELLENT:
        _sheet(member, year)
    return services.ratings_save(
        actor=world.users["leader"],
        branch=member.branch,
        year=year,
        column="decided",
        levels={member.pk: level},
        **extra,
    )


def test_10_of_52_rated_good_passes_and_11_does_not(world):
    year = _rate(world, 10, 52, 13)
    check = member_cap_check(world.committee, year)
    assert check.verdict.ok and (check.verdict.base, check.verdict.allowed) == (52, 10)
    _rate(world, 1, 0, 0, year=year)
    check = member_cap_check(world.branch_a, year)  # the same pool, seen from a branch
    assert not check.verdict.ok
    assert check.verdict.reason.endswith(
        "Tối đa 20% của 52 hoàn thành tốt nhiệm vụ là 10. Vượt tỷ lệ: cần giảm 1."
    )


def test_the_pool_spans_every_branch_of_the_grassroots_committee(world):
    year = _rate(world, 4, 20, 0)
    _rate(world, 3, 20, 0, branch=world.branch_b)
    assert member_cap_check(world.branch_b, year).verdict.ok  # 7 of 40 → 8 allowed
    _rate(world, 3, 0, 0, branch=world.other_branch, year=year)  # another pool entirely
    assert member_cap_check(world.branch_b, year).counts.excellent == 7


def test_self_ratings_and_proposals_are_not_decisions(world):
    year = _rate(world, 5, 5, 0, column="self_level")
    _rate(world, 5, 5, 0, column="proposed_level", year=year)
    check = member_cap_check(world.committee, year)
    assert check.counts.decided == 0 and check.verdict.ok
    assert check.counts.undecided == check.counts.rated == 20 + 2  # and members A and B
    assert committee_level_counts(world.committee, year).rated == 0


def test_a_decision_that_breaches_the_cap_is_refused_whole_with_the_reason(world, login):
    """Branch B: 2 "xuất sắc", 10 "tốt" — at the cap. Raising A's member to "xuất sắc" in the
    same save as a harmless change: refused whole, with the rule and the numbers, the choices
    kept on the page."""
    year = _rate(world, 2, 10, 0, branch=world.branch_b)
    extra = MemberFactory(branch=world.branch_a)
    _sheet(extra, year)
    url = reverse("reports:branch_ratings", args=[world.branch_a.pk]) + f"?year={year}"
    client = login(world.users["leader"])
    response = client.post(
        url,
        {
            "column": "decided",
            f"level_{world.member_a.pk}": "completed",
            f"level_{extra.pk}": "excellent",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Chưa lưu: 3 hoàn thành xuất sắc nhiệm vụ; so với 10 hoàn thành tốt nhiệm vụ: 30%; so "
        "với 13 hoàn thành tốt nhiệm vụ trở lên: 23,08%. Tối đa 20% của 10 hoàn thành tốt nhiệm "
        "vụ là 2. Vượt tỷ lệ: cần giảm 1 (Quy định 366-QĐ/TW (2025); tính trên toàn Đảng bộ xã "
        "Quế Phú.)" in body
    )
    assert '<option value="excellent" selected>' in body  # what the leader chose is still there
    assert (
        not MemberRating.objects.filter(member__in=[world.member_a, extra])
        .exclude(decided_level="")
        .exists()
    )
    assert MemberRating.history.filter(member_id=world.member_a.pk).count() == 0
    # With one more "tốt" in the same save: 3 of 15 → 3 allowed.
    more = [MemberFactory(branch=world.branch_a) for _ in range(5)]
    response = client.post(
        url,
        {
            "column": "decided",
            f"level_{extra.pk}": "excellent",
            **{f"level_{m.pk}": "good" for m in more},
        },
    )
    assert response.status_code == 302
    assert member_cap_check(world.committee, year).counts.excellent == 3


def test_lowering_is_never_refused_even_over_the_cap(world):
    year = _rate(world, 5, 5, 0)  # 5 of 5: over the cap (data from before)
    member = MemberRating.objects.filter(decided_level=Level.EXCELLENT).first().member
    assert _decide(world, member, Level.GOOD, year, reason="Xếp loại lại theo kết luận") == 1


def test_outstanding_results_raise_the_cap_to_25_percent_and_never_beyond(world, login):
    year = _rate(world, 12, 52, 0, branch=world.branch_b)
    url = reverse("reports:committee_ratings", args=[world.committee.pk]) + f"?year={year}"
    page = login(world.users["leader"]).get(url).content.decode()
    assert "Vượt tỷ lệ: cần giảm 2" in page and "Ghi nhận kết quả nổi trội" in page
    data = {
        "pool": world.committee.pk,
        "reason": "Đơn vị dẫn đầu phong trào thi đua của tỉnh",
        "decision": "Nghị quyết số 12-NQ/HU ngày 10/12",
    }
    assert login(world.users["staff"]).post(url, data).status_code == 403
    assert login(world.users["leader"]).post(url, data).status_code == 302
    exception = RuleException.objects.get()
    assert exception.rule == RuleException.Rule.OUTSTANDING_RESULTS
    assert exception.decision.startswith("Nghị quyết số 12")
    assert member_cap_check(world.committee, year).verdict.ok  # 12 ≤ 25% × 52 = 13
    assert _decide(world, world.member_a, Level.EXCELLENT, year) == 1  # the 13th
    with pytest.raises(ValidationError, match="Tối đa 25% của 52 hoàn thành tốt nhiệm vụ là 13"):
        _decide(world, world.member_b, Level.EXCELLENT, year)  # a 14th: never beyond 25%


def test_124_has_no_outstanding_exception(world):
    with pytest.raises(ValidationError, match="không cho nâng tỷ lệ"):
        services.rule_exception_record(
            actor=world.users["leader"],
            organization=world.committee,
            year=2024,
            rule=RuleException.Rule.OUTSTANDING_RESULTS,
            reason="x",
        )


def test_members_exempt_suspended_or_new_are_left_out_listed_and_never_rated(world, login):
    year = _rate(world, 1, 5, 0)  # 1 of 5 allowed
    exempt = MemberFactory(branch=world.branch_a, full_name="Võ Văn Miễn")
    MemberStanding.objects.create(
        member=exempt,
        kind=MemberStanding.Kind.EXEMPT,
        start_date=datetime.date(year - 1, 3, 1),
        decision="Quyết định số 5-QĐ/ĐU ngày 01/3",
        recorded_by=world.users["staff"],
    )
    newcomer = MemberFactory(
        branch=world.branch_a,
        full_name="Đỗ Thị Mới",
        join_date=datetime.date(year, 9, 2),
        official_date=None,
    )
    ended = MemberFactory(branch=world.branch_a)
    MemberStanding.objects.create(
        member=ended,
        kind=MemberStanding.Kind.SUSPENDED,
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 6, 30),  # back before the year is rated: rated
        decision="x",
        recorded_by=world.users["staff"],
    )
    check = member_cap_check(world.committee, year)
    assert set(check.left_out) == {exempt.pk, newcomer.pk}
    assert "Miễn công tác và sinh hoạt đảng từ ngày 01/03" in check.left_out[exempt.pk]
    assert "chưa đủ 6 tháng" in check.left_out[newcomer.pk]
    assert exempt.pk not in check.undecided and ended.pk in check.undecided
    with pytest.raises(ValidationError, match="không thuộc diện xếp loại"):
        _decide(world, exempt, Level.GOOD, year)
    # Their ratings, if typed before, count nowhere.
    MemberRating.objects.create(
        member=newcomer, branch=world.branch_a, year=year, decided_level=Level.EXCELLENT
    )
    assert member_cap_check(world.committee, year).counts.excellent == 1
    page = login(world.users["leader"]).get(
        reverse("reports:committee_ratings", args=[world.committee.pk]) + f"?year={year}"
    )
    assert "2 đảng viên không thuộc diện xếp loại" in page.content.decode()
    assert "Võ Văn Miễn" in page.content.decode()
    # The branch's page offers no level to pick for them, and saving the page still works.
    url = reverse("reports:branch_ratings", args=[world.branch_a.pk]) + f"?year={year}"
    client = login(world.users["leader"])
    html = client.get(url).content.decode()
    assert f'name="level_{exempt.pk}"' not in html and f'name="level_{newcomer.pk}"' not in html
    assert f'name="level_{ended.pk}"' in html
    posted = {  # the column as the page shows it, with one more level chosen
        f"level_{r.member_id}": r.decided_level
        for r in MemberRating.objects.filter(branch=world.branch_a, year=year)
    }
    posted.pop(f"level_{newcomer.pk}")
    response = client.post(url, {**posted, "column": "decided", f"level_{ended.pk}": "good"})
    assert response.status_code == 302
    assert MemberRating.objects.get(member=ended).decided_level == Level.GOOD


def test_re_rating_needs_a_reason_and_the_history_keeps_both(world):
    year = timezone.localdate().year
    _decide(world, world.member_a, Level.GOOD, year)
    with pytest.raises(ValidationError, match="xếp loại lại"):
        _decide(world, world.member_a, Level.COMPLETED, year)
    _decide(world, world.member_a, Level.COMPLETED, year, reason="Kết luận kiểm tra ngày 5/1")
    rating = MemberRating.objects.get(member=world.member_a)
    levels = [h.decided_level for h in rating.history.order_by("history_date")]
    assert levels == [Level.GOOD, Level.COMPLETED]
    assert (
        "Kết luận kiểm tra ngày 5/1" in rating.history.latest("history_date").history_change_reason
    )


def test_columns_belong_to_their_authors(world, login):
    year = _rate(world, 0, 5, 0, branch=world.branch_b)  # room for 1 "xuất sắc"
    _sheet(world.member_a, year)
    url = reverse("reports:branch_ratings", args=[world.branch_a.pk])
    client = login(world.users["secretary_own"])
    response = client.post(
        f"{url}?year={year}", {"column": "proposed", f"level_{world.member_a.pk}": "good"}
    )
    assert response.status_code == 302
    assert MemberRating.objects.get(member=world.member_a).proposed_level == Level.GOOD
    assert (
        client.post(
            f"{url}?year={year}", {"column": "decided", f"level_{world.member_a.pk}": "excellent"}
        ).status_code
        == 403
    )
    login(world.users["leader"]).post(
        f"{url}?year={year}", {"column": "decided", f"level_{world.member_a.pk}": "excellent"}
    )
    rating = MemberRating.objects.get(member=world.member_a)
    assert (rating.proposed_level, rating.decided_level) == (Level.GOOD, Level.EXCELLENT)
    assert rating.history.first().history_user == world.users["leader"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_under_one_pool_cannot_pass_the_cap_together(world):
    """Two leaders, two branches of one pool, each raising one member at the same moment: the
    pool is locked for the save, so exactly one of them passes."""
    year = _rate(world, 1, 10, 0, branch=world.branch_b)  # 2 allowed: room for one more
    barrier = threading.Barrier(2)
    results, errors = [], []

    def save(member):
        try:
            barrier.wait()
            results.append(_decide(world, member, Level.EXCELLENT, year))
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    other = MemberFactory(branch=world.branch_b)
    threads = [threading.Thread(target=save, args=(m,)) for m in (world.member_a, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(results), len(errors)) == (1, 1)
    assert member_cap_check(world.committee, year).counts.excellent == 2


@pytest.mark.parametrize(
    ("facts", "allowed"),
    [
        ({"score": Decimal(95)}, Level.EXCELLENT),
        ({"score": Decimal("89.99")}, Level.GOOD),
        ({"score": Decimal(90), "exceeding": None}, Level.GOOD),  # a blank is not 30%
        ({"score": Decimal(90), "exceeding": Decimal("0.29")}, Level.GOOD),
        ({"score": Decimal(95), "shortcomings_fixed": False}, Level.GOOD),
        ({"score": Decimal(95), "tasks_on_time": False}, Level.COMPLETED),
        ({"score": Decimal(70)}, Level.GOOD),
        ({"score": Decimal("69.99")}, Level.COMPLETED),
        ({"score": Decimal(50)}, Level.COMPLETED),
        ({"score": Decimal("49.99")}, Level.FAILED),
        ({"score": Decimal(95), "disciplined": True}, Level.FAILED),
        ({"score": Decimal(95), "unfinished_share": Decimal("0.51")}, Level.FAILED),
        ({"score": Decimal(95), "unfinished_share": Decimal("0.5")}, Level.EXCELLENT),
    ],
)
def test_the_sheet_sets_the_highest_level_a_decision_may_give(world, facts, allowed):
    """366 Điều 11 at each edge: above the allowed level is refused with the reason, the allowed
    level is saved, a lower one needs a reason."""
    year = _rate(world, 0, 10, 0, branch=world.branch_b)  # room for 2 "xuất sắc"
    facts = dict(facts)
    _sheet(
        world.member_a, year, facts.pop("score"), facts.pop("exceeding", Decimal("0.4")), **facts
    )
    order = [Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.FAILED]
    above = order[: order.index(allowed)]
    for level in above:
        with pytest.raises(ValidationError, match="không đủ điều kiện mức"):
            _decide_without_sheet(world, world.member_a, level, year)
    _decide_without_sheet(world, world.member_a, allowed, year)
    below = order[order.index(allowed) + 1 :]
    if below:
        with pytest.raises(ValidationError, match="xếp loại lại|cần ghi lý do"):
            _decide_without_sheet(world, world.member_a, below[0], year)
        _decide_without_sheet(world, world.member_a, below[0], year, reason="Ý kiến chi bộ")
    assert MemberRating.objects.get(member=world.member_a).decided_level == (
        below[0] if below else allowed
    )


def _decide_without_sheet(world, member, level, year, **extra):
    return services.ratings_save(
        actor=world.users["leader"],
        branch=member.branch,
        year=year,
        column="decided",
        levels={member.pk: level},
        **extra,
    )


def test_xuat_sac_needs_a_sheet_and_the_sheet_page_explains_the_level(world, login):
    year = timezone.localdate().year
    with pytest.raises(ValidationError, match="chưa có phiếu đánh giá"):
        _decide_without_sheet(world, world.member_a, Level.EXCELLENT, year)
    url = reverse("reports:member_rating_sheet", args=[world.member_a.pk]) + f"?year={year}"
    client = login(world.users["secretary_own"])
    response = client.post(
        url,
        {
            "self_score": "94",
            "score": "92.5",  # as the browser's number field sends it
            "tasks_on_time": "on",
            "exceeding_share": "",
            "unfinished_share": "0",
            "shortcomings_fixed": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    rating = MemberRating.objects.get(member=world.member_a)
    assert rating.score == Decimal("92.5") and rating.exceeding_share is None
    page = client.get(url).content.decode()
    assert "Mức điểm và điều kiện cho phép: Hoàn thành tốt nhiệm vụ." in page
    assert "chưa có tỷ lệ nhiệm vụ vượt yêu cầu (cần ít nhất 30%)" in page
    # Decided, the sheet is the committee's: the secretary can no longer change it.
    _decide_without_sheet(world, world.member_a, Level.GOOD, year)
    assert client.post(url, {"score": "99"}).status_code == 403


def test_staff_record_a_standing_on_the_sheet_page_and_the_member_is_left_out(world, login):
    year = timezone.localdate().year
    url = reverse("reports:member_rating_sheet", args=[world.member_a.pk]) + f"?year={year}"
    data = {
        "action": "standing",
        "standing-kind": "exempt",
        "standing-start_date": f"01/02/{year}",
        "standing-end_date": "",
        "standing-decision": "",
    }
    assert login(world.users["secretary_own"]).post(url, data).status_code == 403
    client = login(world.users["staff"])
    page = client.post(url, data).content.decode()
    assert not MemberStanding.objects.exists()  # no decision: nothing saved, what was typed kept
    assert f'value="01/02/{year}"' in page and "is-invalid" in page
    data["standing-decision"] = "Quyết định số 7-QĐ/ĐU"
    assert client.post(url, data).status_code == 302
    assert world.member_a.pk in member_cap_check(world.branch_a, year).left_out
    page = client.get(url).content.decode()
    assert "Không thuộc diện xếp loại năm này" in page and "Quyết định số 7-QĐ/ĐU" in page


def test_the_committee_column_starts_from_the_branch_proposal(world, login):
    """The leader confirms or changes the branch's proposals instead of typing every level
    again; nothing is decided until the column is saved."""
    from reports.ratings.forms import RatingsForm
    from reports.ratings.models import MemberRating

    rating = MemberRating.objects.create(
        member=world.member_a, year=2023, branch=world.branch_a, proposed_level="good"
    )
    form = RatingsForm(rows=[(world.member_a, rating)], column="decided")
    assert form.fields[f"level_{world.member_a.pk}"].initial == "good"
    rating.refresh_from_db()
    assert rating.decided_level == ""

"""Member ratings: the three columns, the 20% cap on real numbers, a leader's exception."""

from django.urls import reverse
from django.utils import timezone

from criteria.rules import Level, rule_set
from reports.ratings.models import MemberRating, RuleException
from reports.ratings.selectors import committee_level_counts, member_cap_check
from tests.factories import MemberFactory


def _rate(world, excellent, good, completed, branch=None):
    branch = branch or world.branch_a
    year = timezone.localdate().year
    levels = [Level.EXCELLENT] * excellent + [Level.GOOD] * good + [Level.COMPLETED] * completed
    for level in levels:
        MemberRating.objects.create(
            member=MemberFactory(branch=branch), branch=branch, year=year, decided_level=level
        )
    return year


def test_13_chosen_from_a_pool_of_65_passes(world):
    year = _rate(world, 13, 52, 13)
    counts = committee_level_counts(world.committee, year)
    assert (counts.excellent, counts.good_or_better, counts.rated) == (13, 65, 78)
    check = member_cap_check(world.committee, year, rule_set("366-2025"))
    assert check.verdict.ok and not check.blocking


def test_13_from_a_pool_of_64_fails_and_says_why(world):
    year = _rate(world, 13, 51, 14)
    check = member_cap_check(world.committee, year, rule_set("366-2025"))
    assert not check.verdict.ok and check.blocking
    assert check.verdict.reason == (
        "13 đảng viên hoàn thành xuất sắc nhiệm vụ trên 64 đảng viên hoàn thành tốt nhiệm vụ trở lên (20,31%) vượt quá 20%: tối đa 12 đảng viên."
    )


def test_the_pool_spans_every_branch_of_the_committee(world):
    year = _rate(world, 7, 20, 0)
    _rate(world, 6, 32, 0, branch=world.branch_b)
    assert member_cap_check(
        world.committee, year, rule_set("366-2025")
    ).verdict.ok  # 13 of 65 over both branches


def test_a_leader_records_a_justified_exception_on_the_committee_page(world, login):
    year = _rate(world, 13, 51, 14)
    url = reverse("reports:committee_ratings", args=[world.committee.pk]) + f"?year={year}"
    page = login(world.users["leader"]).get(url).content.decode()
    assert "vượt quá 20%" in page and "Ghi nhận ngoại lệ" in page
    assert login(world.users["staff"]).post(url, {"reason": "x"}).status_code == 403
    response = login(world.users["leader"]).post(
        url, {"reason": "Đơn vị có thành tích đột xuất được Tỉnh ủy khen thưởng"}
    )
    assert response.status_code == 302
    exception = RuleException.objects.get()
    assert (
        exception.rule == RuleException.Rule.MEMBER_CAP
        and exception.recorded_by == world.users["leader"]
    )
    check = member_cap_check(world.committee, year, rule_set("366-2025"))
    assert not check.verdict.ok and not check.blocking


def test_columns_belong_to_their_authors(world, login):
    year = _rate(world, 0, 4, 0, branch=world.branch_b)  # room for 1 "xuất sắc" in 5
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
    assert (rating.proposed_level, rating.decided_level, rating.level) == (
        Level.GOOD,
        Level.EXCELLENT,
        Level.EXCELLENT,
    )
    assert rating.history.first().history_user == world.users["leader"]


def test_a_decision_that_breaches_the_cap_is_refused_whole_with_the_reason(world, login):
    """Branch B: 12 "xuất sắc", 51 "tốt"; branch A: one more "tốt" — 12 of 64, at the cap.
    Raising A's member to "xuất sắc" makes 13 of 64: refused whole, with the numbers, the choices
    kept on the page. With one more "tốt" in the same save it is 13 of 65: accepted."""
    year = _rate(world, 12, 51, 14, branch=world.branch_b)
    extra = MemberFactory(branch=world.branch_a)
    MemberRating.objects.create(
        member=extra, branch=world.branch_a, year=year, decided_level=Level.GOOD
    )
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
        "Chưa lưu: 13 đảng viên hoàn thành xuất sắc nhiệm vụ trên 64 đảng viên hoàn thành tốt "
        "nhiệm vụ trở lên (20,31%) vượt quá 20%: tối đa 12 đảng viên (tính trên toàn Đảng bộ xã "
        "Quế Phú)." in body
    )
    assert '<option value="excellent" selected>' in body  # what the leader chose is still there
    # Nothing half-saved: neither the breaching row nor the harmless one in the same form.
    assert MemberRating.objects.get(member=extra).decided_level == Level.GOOD
    assert not MemberRating.objects.filter(member=world.member_a).exists()
    assert MemberRating.history.filter(member_id=world.member_a.pk).count() == 0
    assert committee_level_counts(world.committee, year).excellent == 12
    response = client.post(
        url,
        {
            "column": "decided",
            f"level_{world.member_a.pk}": "good",
            f"level_{extra.pk}": "excellent",
        },
    )
    assert response.status_code == 302
    counts = committee_level_counts(world.committee, year)
    assert (counts.excellent, counts.good_or_better) == (13, 65)
    # Lowering is never refused, even over the cap.
    MemberRating.objects.filter(member=world.member_a).update(decided_level=Level.COMPLETED)
    response = client.post(
        url,
        {
            "column": "decided",
            f"level_{world.member_a.pk}": "completed",
            f"level_{extra.pk}": "good",
        },
    )
    assert response.status_code == 302


def test_a_recorded_exception_lets_the_committee_go_over_the_cap(world, login):
    year = _rate(world, 12, 51, 14, branch=world.branch_b)  # 13 of 64 once A is added
    RuleException.objects.create(
        organization=world.committee,
        year=year,
        rule=RuleException.Rule.MEMBER_CAP,
        reason="Thành tích đột xuất",
        recorded_by=world.users["leader"],
    )
    url = reverse("reports:branch_ratings", args=[world.branch_a.pk]) + f"?year={year}"
    response = login(world.users["leader"]).post(
        url, {"column": "decided", f"level_{world.member_a.pk}": "excellent"}
    )
    assert response.status_code == 302
    assert MemberRating.objects.get(member=world.member_a).decided_level == Level.EXCELLENT
    assert committee_level_counts(world.committee, year).excellent == 13

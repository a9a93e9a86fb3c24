"""The quality rating of organizations and leadership collectives (Quy định 366-QĐ/TW Điều
10–12): a record of its own, on the frame of the year's rule set, in three steps (self →
appraisal → decision by the committee above), after the members and the subordinate
organizations, within the conditions of Điều 11 and the cap on "xuất sắc" among collectives."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import Organization, Position, RoleAssignment
from criteria.rules import Level, rules_for_year
from reports.ratings import services
from reports.ratings.models import OrganizationRating
from reports.ratings.selectors import (
    collective_pool,
    decided_by_committee,
    deciding_committee,
    organization_rating_status,
)
from tests.factories import MemberFactory, UserFactory, give_role, make_org
from tests.reports.helpers import decide_members

Role = RoleAssignment.Role
ORG = OrganizationRating.Subject.ORGANIZATION
LEADERSHIP = OrganizationRating.Subject.LEADERSHIP


@pytest.fixture(autouse=True)
def _count_as_the_text_reads(settings):
    settings.BONTOT_RATING_CAP_BASE = ""


def _year():
    return timezone.localdate().year


def _appraise(world, organization, common="28", results="64", exceeding=None, **facts):
    data = {
        "score_common": Decimal(common),
        "score_results": Decimal(results),
        "all_tasks_done": True,
        "late_share": Decimal(0),
        "exceeding_share": exceeding,
        "disciplined": False,
        "proposed_level": "",
        **facts,
    }
    return services.organization_appraisal_save(
        actor=world.users["staff"], organization=organization, year=_year(), subject=ORG, data=data
    )


def _decide(world, organization, level, actor=None, **kwargs):
    return services.organization_rating_decide(
        actor=actor or world.users["leader"],
        organization=organization,
        year=_year(),
        subject=ORG,
        level=level,
        **kwargs,
    )


def test_the_frame_is_data_of_the_years_rule_set_and_each_part_is_bounded(world):
    frame = rules_for_year(2026).frames["organization"]
    assert [(p.code, p.points) for p in frame.parts] == [
        ("common", Decimal(30)),
        ("results", Decimal(70)),
    ]
    assert [p.code for p in rules_for_year(2023).frames["organization"].parts] == ["total"]
    with pytest.raises(ValidationError, match="từ 0 đến 30 điểm"):
        _appraise(world, world.branch_a, common="31")
    assert not OrganizationRating.objects.exists()  # nothing saved
    rating = _appraise(world, world.branch_a, common="27.5", results="60")
    assert rating.score == Decimal("87.5") and rating.parts == {"common": "27.5", "results": "60"}


def test_the_committee_directly_above_decides_skipping_a_partial_committee(world):
    partial = make_org(
        world.committee, "QS.QP.BP", "Đảng bộ bộ phận thôn", Organization.Kind.PARTIAL
    )
    under = make_org(partial, "QS.QP.BP.1", "Chi bộ xóm 1")
    assert deciding_committee(under) == world.committee
    assert deciding_committee(world.branch_a) == world.committee
    assert deciding_committee(world.committee) == world.district
    assert {o.pk for o in decided_by_committee(world.committee)} >= {
        world.branch_a.pk,
        partial.pk,
        under.pk,
    }


def test_members_first_then_the_branch(world):
    _appraise(world, world.branch_a)
    with pytest.raises(ValidationError, match="Điều 12 khoản 2.*Võ Thị Ánh"):
        _decide(world, world.branch_a, Level.GOOD)
    decide_members(world, world.branch_a, _year())
    rating = _decide(world, world.branch_a, Level.GOOD, decision="Quyết định số 12-QĐ/ĐU")
    assert rating.decided_level == Level.GOOD and rating.decided_by == world.users["leader"]


def test_subordinate_organizations_before_the_dang_bo(world):
    district_leader = UserFactory(full_name="Trần Văn Huyện")
    give_role(district_leader, world.district, Role.LEADER)
    services.organization_appraisal_save(
        actor=district_leader,
        organization=world.committee,
        year=_year(),
        subject=ORG,
        data={"score_common": Decimal(28), "score_results": Decimal(60), "all_tasks_done": True},
    )
    with pytest.raises(ValidationError, match="Chi bộ"):
        _decide(world, world.committee, Level.GOOD, actor=district_leader)
    for branch in decided_by_committee(world.committee):
        decide_members(world, branch, _year())
        _appraise(world, branch)
        _decide(world, branch, Level.GOOD)
    assert _decide(world, world.committee, Level.GOOD, actor=district_leader).decided_level
    # The committee's own leader cannot decide on their own organization.
    with pytest.raises(PermissionDenied):
        _decide(world, world.committee, Level.COMPLETED, reason="x")


def test_the_level_stays_within_what_the_appraisal_allows(world):
    decide_members(world, world.branch_a, _year())
    with pytest.raises(ValidationError, match="chưa được thẩm định"):
        _decide(world, world.branch_a, Level.GOOD)
    _appraise(world, world.branch_a, common="30", results="65")  # 95, exceeding share blank
    status = organization_rating_status(world.branch_a, _year())
    assert status.allowed.level == Level.GOOD
    assert "chưa có tỷ lệ nhiệm vụ vượt yêu cầu" in status.allowed.reason
    with pytest.raises(ValidationError, match="không đủ điều kiện mức “Hoàn thành xuất sắc"):
        _decide(world, world.branch_a, Level.EXCELLENT)
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        _decide(world, world.branch_a, Level.COMPLETED)
    assert _decide(world, world.branch_a, Level.COMPLETED, reason="Kết luận kiểm tra").decided_level
    # The appraisal may not be changed so that the decided level is no longer allowed.
    with pytest.raises(ValidationError, match="không đủ điều kiện"):
        _appraise(world, world.branch_a, common="10", results="30")


def test_re_rating_needs_a_reason_and_the_history_keeps_both(world):
    decide_members(world, world.branch_a, _year())
    _appraise(world, world.branch_a, common="30", results="65", exceeding=Decimal("0.4"))
    # Alone in its pool, "xuất sắc" is 1 of 0 rated "tốt": over the cap (20% of 0 is 0).
    with pytest.raises(ValidationError, match="Tối đa 20% của 0"):
        _decide(world, world.branch_a, Level.EXCELLENT)
    _decide(world, world.branch_a, Level.GOOD, reason="Cấp ủy quyết định mức tốt")
    with pytest.raises(ValidationError, match="xếp loại lại"):
        _decide(world, world.branch_a, Level.COMPLETED)
    _decide(world, world.branch_a, Level.COMPLETED, reason="Quyết định 15-QĐ/ĐU xếp loại lại")
    rating = OrganizationRating.objects.get(organization=world.branch_a)
    assert [h.decided_level for h in rating.history.order_by("history_date")] == [
        "",
        Level.GOOD,
        Level.COMPLETED,
    ]
    assert "Quyết định 15-QĐ/ĐU" in rating.history.latest("history_date").history_change_reason


def test_the_cap_on_excellent_collectives_counts_the_committees_pool(world):
    """20% of those rated "hoàn thành tốt nhiệm vụ" among the organizations the committee
    decides on: with 5 at "tốt", 1 may be "xuất sắc", not 2."""
    branches = [make_org(world.committee, f"QS.QP.X{i}", f"Chi bộ xóm {i}") for i in range(7)]
    for branch in [world.branch_a, world.branch_b]:
        decide_members(world, branch, _year())
    for branch in branches[:5]:
        _appraise(world, branch)
        _decide(world, branch, Level.GOOD)
    for branch in branches[5:]:
        _appraise(world, branch, common="30", results="65", exceeding=Decimal("0.5"))
    _decide(world, branches[5], Level.EXCELLENT)
    with pytest.raises(ValidationError, match="Tối đa 20%"):
        _decide(world, branches[6], Level.EXCELLENT)
    assert not OrganizationRating.objects.get(organization=branches[6]).decided_level
    pool = collective_pool(world.committee, _year(), ORG)
    assert (pool.excellent, pool.allowed) == (1, 1)
    # Leadership collectives are a pool of their own.
    assert collective_pool(world.committee, _year(), LEADERSHIP).excellent == 0


def test_the_hd21_condition_on_a_branchs_members(world):
    year = _year()
    MemberFactory(branch=world.branch_a)
    decide_members(world, world.branch_a, year, level=Level.COMPLETED)
    _appraise(world, world.branch_a, common="30", results="65", exceeding=Decimal("0.5"))
    with pytest.raises(ValidationError, match="Chi bộ chưa đủ điều kiện hoàn thành xuất sắc"):
        _decide(world, world.branch_a, Level.EXCELLENT)


def test_the_page_takes_each_step_by_its_author_and_keeps_what_was_typed(world, login):
    year = _year()
    url = reverse("reports:organization_rating", args=[world.branch_a.pk]) + f"?year={year}"
    secretary = login(world.users["secretary_own"])
    page = secretary.get(url).content.decode()
    assert "Nhóm tiêu chí chung" in page and "1. Tự đánh giá" in page
    assert "2. Thẩm định" not in page and "3. Quyết định" not in page
    response = secretary.post(
        url,
        {
            "action": "self",
            "self-self_common": "29",
            "self-self_results": "63",
            "self-self_level": "good",
        },
    )
    assert response.status_code == 302
    rating = OrganizationRating.objects.get(organization=world.branch_a)
    assert (rating.self_score, rating.self_level) == (Decimal(92), Level.GOOD)
    assert secretary.post(url, {"action": "decide", "decide-level": "good"}).status_code == 403
    leader = login(world.users["leader"])
    response = leader.post(
        url,
        {
            "action": "appraise",
            "appraise-score_common": "28",
            "appraise-score_results": "80",  # more than 70
            "appraise-all_tasks_done": "on",
            "appraise-late_share": "0",
        },
    )
    assert response.status_code == 200
    assert "80" in response.content.decode() and "70" in response.content.decode()
    response = leader.post(url, {"action": "decide", "decide-level": "good"})
    assert "Điều 12 khoản 2" in response.content.decode()  # Võ Thị Ánh is not decided yet
    assert not OrganizationRating.objects.get(organization=world.branch_a).decided_level


def test_the_committees_page_lists_the_collectives_it_decides_on(world, login):
    decide_members(world, world.branch_a, _year())
    _appraise(world, world.branch_a)
    _decide(world, world.branch_a, Level.GOOD)
    page = (
        login(world.users["leader"])
        .get(reverse("reports:committee_ratings", args=[world.committee.pk]) + f"?year={_year()}")
        .content.decode()
    )
    section = page[page.index("Xếp loại chất lượng tổ chức do") :]
    assert world.branch_a.name in section and world.branch_b.name in section
    assert "Hoàn thành tốt nhiệm vụ" in section
    assert reverse("reports:organization_rating", args=[world.branch_a.pk]) in section
    assert "Tỷ lệ xuất sắc:" in section  # the collectives' pool, under 366


def test_the_pages_queries_do_not_grow_with_the_organizations(world, login):
    client = login(world.users["leader"])
    urls = [
        reverse("reports:committee_ratings", args=[world.committee.pk]) + f"?year={_year()}",
        reverse("reports:organization_rating", args=[world.committee.pk]) + f"?year={_year()}",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    for i in range(8):
        branch = make_org(world.committee, f"QS.QP.N{i}", f"Chi bộ mới {i}")
        _appraise(world, branch)
        _decide(world, branch, Level.GOOD)
    assert counts() == before


def test_the_leadership_collective_before_its_head(world):
    year = _year()
    Position.objects.create(
        member=world.member_a,
        organization=world.branch_a,
        title=Position.Title.SECRETARY,
        start_date=f"{year - 2}-01-01",
    )
    services.organization_appraisal_save(
        actor=world.users["staff"],
        organization=world.branch_a,
        year=year,
        subject=LEADERSHIP,
        data={"score_common": Decimal(27), "score_results": Decimal(60), "all_tasks_done": True},
    )
    with pytest.raises(ValidationError, match="tập thể lãnh đạo được xếp loại trước"):
        decide_members(world, world.branch_a, year)
    services.organization_rating_decide(
        actor=world.users["leader"],
        organization=world.branch_a,
        year=year,
        subject=LEADERSHIP,
        level=Level.GOOD,
    )
    decide_members(world, world.branch_a, year)
    assert world.member_a.ratings.get(year=year).decided_level == Level.GOOD


def test_the_years_results_as_excel_with_the_20_percent_figures(world, login):
    decide_members(world, world.branch_a, _year())
    _appraise(world, world.branch_a, common="28", results="62.5")
    _decide(world, world.branch_a, Level.GOOD, decision="Quyết định số 30-QĐ/ĐU")
    response = login(world.users["leader"]).get(
        reverse("reports:committee_ratings", args=[world.committee.pk])
        + f"?year={_year()}&format=xlsx"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    organizations, caps = workbook.worksheets
    rows = {row[0]: row for row in organizations.iter_rows(min_row=2, values_only=True)}
    assert rows[world.branch_a.name][2:] == (
        90.5,
        None,
        "Hoàn thành tốt nhiệm vụ",
        "Quyết định số 30-QĐ/ĐU",
    )
    assert rows[world.branch_b.name][4] is None  # not decided: an empty cell
    cap_rows = list(caps.iter_rows(min_row=2, values_only=True))
    members = next(r for r in cap_rows if r[0].startswith("Đảng viên"))
    assert members[1:4] == (2, 1, 0) and members[6] == 0.2
    collectives = next(r for r in cap_rows if r[0].startswith("Tổ chức do"))
    assert collectives[1:5] == (2, 1, 0, 1) and "Tối đa 20%" in collectives[8]

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


def _five_good_in_the_pool(world):
    """Five organizations at "tốt" beside branch A, so the committee's pool allows one "xuất sắc"."""
    for i in range(5):
        branch = make_org(world.committee, f"QS.QP.G{i}", f"Chi bộ xóm {i}")
        _appraise(world, branch)
        _decide(world, branch, Level.GOOD)


def test_a_recorded_exception_lets_a_branch_keep_excellent_despite_hd21(world):
    from reports.ratings.models import RuleException

    year = _year()
    _five_good_in_the_pool(world)
    MemberFactory(branch=world.branch_a)
    decide_members(world, world.branch_a, year, level=Level.COMPLETED)
    _appraise(world, world.branch_a, common="30", results="65", exceeding=Decimal("0.5"))
    with pytest.raises(ValidationError, match="Chi bộ chưa đủ điều kiện hoàn thành xuất sắc"):
        _decide(world, world.branch_a, Level.EXCELLENT)
    services.rule_exception_record(
        actor=world.users["leader"],
        organization=world.branch_a,
        year=year,
        rule=RuleException.Rule.BRANCH_MEMBERS,
        reason="Hai đồng chí mới chuyển đến trong tháng 11",
    )
    rating = _decide(world, world.branch_a, Level.EXCELLENT)
    assert rating.decided_level == Level.EXCELLENT
    assert not organization_rating_status(world.branch_a, year).stale  # excused


def test_members_rated_down_after_an_excellent_branch_are_flagged_on_its_page(world, login):
    """The order of 366 Điều 12 is members first; a member re-rated later (Mẫu 03) can make the
    branch's "xuất sắc" fail HD 21: the branch's page says so, in red, with the figures."""
    from reports.ratings.models import MemberRating
    from reports.ratings.services import ratings_save

    year = _year()
    _five_good_in_the_pool(world)
    members = [MemberFactory(branch=world.branch_a) for _ in range(4)]
    decide_members(world, world.branch_a, year)
    _appraise(world, world.branch_a, common="30", results="65", exceeding=Decimal("0.5"))
    _decide(world, world.branch_a, Level.EXCELLENT)
    assert not organization_rating_status(world.branch_a, year).stale
    ratings_save(
        actor=world.users["leader"],
        branch=world.branch_a,
        year=year,
        column="decided",
        levels={m.pk: Level.COMPLETED for m in members[:2]},
        reason="Kết luận kiểm tra sau khi xếp loại",
    )
    assert MemberRating.objects.filter(decided_level=Level.COMPLETED).count() == 2
    status = organization_rating_status(world.branch_a, year)
    assert "80%" in status.stale
    url = reverse("reports:organization_rating", args=[world.branch_a.pk]) + f"?year={year}"
    body = login(world.users["staff"]).get(url).content.decode()
    assert "không còn đủ điều kiện (Hướng dẫn 21-HD/BTCTW)" in body and status.stale in body


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
        # The navigation's work queue is cached until a write: measured uncached both times.
        from django.core.cache import caches

        from caching.figures import clear_local

        result = []
        for url in urls:
            clear_local()
            caches["figures"].clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    counts()  # the session's first page keeps the year it shows, once (web.pages.remember_year)
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


def test_the_years_results_as_a_decision_and_a_list_from_the_decisions_recorded(world, login):
    """Item 11: the decision recognizing the year's rating results, with its list, and the list
    alone, read back from the PDF: the counts of Điều 1 and the rows are the decisions recorded,
    the cap's figures are the pool's; DỰ THẢO while anything is undecided."""
    from tests.pdf import text

    year = _year()
    _five_good_in_the_pool(world)
    decide_members(world, world.branch_a, year)
    _appraise(world, world.branch_a, common="30", results="65", exceeding=Decimal("0.5"))
    _decide(world, world.branch_a, Level.EXCELLENT)
    client = login(world.users["leader"])
    page = client.get(reverse("reports:committee_ratings", args=[world.committee.pk]))
    assert page.context["document_form"].initial["signer_name"] == "Nguyễn Văn Định"
    url = reverse("reports:rating_results_document", args=[world.committee.pk])
    query = {
        "year": year,
        "kind": "decision",
        "issue_date": f"10/01/{year + 1}",
        "signer_name": "Nguyễn Văn Định",
        "proposer": "Ban Xây dựng Đảng",
    }
    response = client.get(url, query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = text(response.content)
    assert "QUYẾT ĐỊNH" in body and "công nhận kết quả đánh giá, xếp loại chất lượng" in body
    assert "Căn cứ Quy định 366-QĐ/TW" in body and "xét đề nghị của Ban Xây dựng Đảng" in body
    assert "1. Tổ chức đảng: 1 hoàn thành xuất sắc nhiệm vụ; 5 hoàn thành tốt nhiệm vụ" in body
    # Branch B has no decision yet: counted as such, and the document is a draft.
    assert "1 chưa có quyết định" in body and "DỰ THẢO" in body
    assert "Chi bộ thôn Phú Lộc" in body and "Chưa có quyết định" in body
    assert "Quyết định có hiệu lực kể từ ngày ký" in body and "Nguyễn Văn Định" in body
    assert "Tỷ lệ hoàn thành xuất sắc nhiệm vụ: 1 hoàn thành xuất sắc nhiệm vụ" in body
    # Every member of the pool, each with the committee's decision.
    assert "II. ĐẢNG VIÊN" in body and world.member_a.full_name in body
    decide_members(world, world.branch_b, year)
    _appraise(world, world.branch_b)
    _decide(world, world.branch_b, Level.GOOD)
    body = text(client.get(url, query).content)
    assert "DỰ THẢO" not in body and "chưa có quyết định" not in body
    listing = text(client.get(url, {**query, "kind": "list"}).content)
    assert "DANH SÁCH" in listing and "QUYẾT ĐỊNH" not in listing
    # Bad input: back to the page with the message, nothing produced.
    response = client.get(url, {**query, "issue_date": "31/02/2026"}, follow=True)
    assert response.redirect_chain and "Ngày không hợp lệ" in response.content.decode()


def test_the_results_documents_queries_do_not_grow_with_the_organizations(world):
    from reports.ratings.documents import rating_results

    year = _year()

    def queries():
        with CaptureQueriesContext(connection) as context:
            rating_results(world.committee, year)
        return len(context.captured_queries)

    before = queries()
    for i in range(6):
        branch = make_org(world.committee, f"QS.QP.Q{i}", f"Chi bộ xóm {i}")
        MemberFactory(branch=branch)
        _appraise(world, branch)
    assert queries() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_under_one_pool_cannot_pass_the_cap_together(world):
    """Two leaders deciding "xuất sắc" for two organizations of one committee's pool at the same
    moment, with room for one: the deciding committee is locked for the decision, so exactly one
    of them passes."""
    import threading

    from django.db import connection as db

    year = _year()
    _five_good_in_the_pool(world)  # 5 at "tốt": one "xuất sắc" allowed
    for branch in (world.branch_a, world.branch_b):
        decide_members(world, branch, year)
        _appraise(world, branch, common="30", results="65", exceeding=Decimal("0.5"))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def decide(branch):
        try:
            barrier.wait()
            results.append(_decide(world, branch, Level.EXCELLENT))
        except ValidationError as error:
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=decide, args=(b,)) for b in (world.branch_a, world.branch_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(results), len(errors)) == (1, 1)
    assert "Tối đa 20%" in str(errors[0])
    assert collective_pool(world.committee, year, ORG).excellent == 1

"""The kinds of organization since 1 July 2025: what sits under what, who issues a plan and who
registers for it, a branch's level, and the pools the cap on "xuất sắc" is counted over."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches.models import Organization
from criteria import services as plans
from criteria.models import Plan
from criteria.selectors import default_targets
from reports.ratings.selectors import cap_pool_of, member_pools, pool_members, pools_within
from tests.factories import MemberFactory, make_org

K = Organization.Kind


@pytest.fixture
def province(db):
    """Đà Nẵng as it is organized since 1 July 2025: a block committee with a grassroots
    committee and a chi bộ cơ sở; a commune-level committee with its branches and the grassroots
    committee of the commune's Party agencies (Quy định 361-QĐ/TW)."""
    city = make_org(None, "DN", "Đảng bộ thành phố Đà Nẵng", K.PROVINCE, issuer_code="TU")
    block = make_org(city, "DN.CQD", "Đảng bộ các cơ quan Đảng thành phố", K.BLOCK)
    agency = make_org(block, "DN.CQD.BTC", "Đảng bộ Ban Tổ chức Thành ủy", K.GRASSROOTS)
    agency_branch = make_org(agency, "DN.CQD.BTC.01", "Chi bộ Phòng Tổ chức đảng")
    base_branch = make_org(block, "DN.CQD.01", "Chi bộ Báo Đà Nẵng")
    commune = make_org(city, "DN.QS", "Đảng bộ xã Quế Sơn", K.COMMUNE)
    village = make_org(commune, "DN.QS.01", "Chi bộ thôn Đông Phú")
    village2 = make_org(commune, "DN.QS.02", "Chi bộ thôn Quế An")
    offices = make_org(commune, "DN.QS.CQD", "Đảng bộ các cơ quan Đảng xã Quế Sơn", K.GRASSROOTS)
    office_branch = make_org(offices, "DN.QS.CQD.01", "Chi bộ Văn phòng Đảng ủy")
    return {
        "city": city,
        "block": block,
        "agency": agency,
        "agency_branch": agency_branch,
        "base_branch": base_branch,
        "commune": commune,
        "village": village,
        "village2": village2,
        "offices": offices,
        "office_branch": office_branch,
    }


PLACEMENT = [
    (K.PROVINCE, None, True),
    (K.PROVINCE, K.PROVINCE, False),
    (K.BLOCK, K.PROVINCE, True),
    (K.BLOCK, None, False),
    (K.COMMUNE, K.PROVINCE, True),
    (K.COMMUNE, K.UPPER, False),
    (K.COMMUNE, K.COMMUNE, False),
    (K.GRASSROOTS, K.COMMUNE, True),
    (K.GRASSROOTS, K.BLOCK, True),
    (K.GRASSROOTS, K.PROVINCE, True),
    (K.GRASSROOTS, K.UPPER, True),
    (K.GRASSROOTS, K.GRASSROOTS, False),
    (K.PARTIAL, K.GRASSROOTS, True),
    (K.PARTIAL, K.COMMUNE, False),
    (K.BRANCH, K.COMMUNE, True),
    (K.BRANCH, K.BLOCK, True),
    (K.BRANCH, K.PROVINCE, True),
    (K.BRANCH, K.PARTIAL, True),
    (K.BRANCH, None, False),
    (K.UPPER, None, True),
    (K.UPPER, K.PROVINCE, False),
]


@pytest.mark.parametrize(("kind", "parent_kind", "allowed"), PLACEMENT)
def test_what_sits_under_what(kind, parent_kind, allowed):
    parent = Organization(kind=parent_kind, path="0001") if parent_kind else None
    organization = Organization(kind=kind)
    if allowed:
        organization.validate_parent(parent)
    else:
        with pytest.raises(ValidationError) as error:
            organization.validate_parent(parent)
        assert "parent" in error.value.message_dict


def test_a_branch_is_co_so_under_a_block_and_truc_thuoc_under_a_commune(province):
    assert province["base_branch"].level_name(province["block"]) == "Chi bộ cơ sở"
    assert province["village"].level_name(province["commune"]) == "Chi bộ trực thuộc"
    assert province["office_branch"].level_name(province["offices"]) == "Chi bộ trực thuộc"
    assert province["commune"].level_name(province["city"]) == "Đảng bộ xã, phường, đặc khu"


def test_the_organization_page_names_the_level(province, login):
    from django.urls import reverse

    page = login(_city_staff(province)).get(
        reverse("branches:organization_detail", args=[province["base_branch"].pk])
    )
    assert "Chi bộ cơ sở" in page.content.decode()


def _city_staff(province):
    from tests.factories import UserFactory, give_role

    user = UserFactory(username="canbo.danang", full_name="Phan Thị Thu")
    give_role(user, province["city"], "staff")
    return user


def _plan(issuer, model=Plan.Model.BRANCH):
    from tests.factories import administrator, give_role

    staff = administrator()
    give_role(staff, issuer, "staff")
    return plans.plan_create(
        actor=staff,
        issuer=issuer,
        model=model,
        issue_date=datetime.date(2026, 1, 15),
        start_year=2026,
        end_year=2030,
        registration_deadline=datetime.date(2026, 2, 15),
        signing_deadline=datetime.date(2026, 2, 28),
        final_review_deadline=datetime.date(2026, 12, 15),
    )


def test_a_commune_issues_a_plan_for_its_own_branches(province):
    plan = _plan(province["commune"])
    assert plan.number == "01-KH/ĐU"
    assert set(plan.targets.all()) == {province["village"], province["village2"]}


def test_the_city_issues_dang_bo_4_tot_for_the_commune_level_committees(province):
    plan = _plan(province["city"], Plan.Model.COMMITTEE)
    assert set(plan.targets.all()) == {province["commune"]}
    assert set(default_targets(province["block"], Plan.Model.COMMITTEE)) == {province["agency"]}


@pytest.mark.parametrize("code", ["village", "agency_branch"])
def test_a_branch_issues_no_plan(province, code):
    with pytest.raises(ValidationError) as error:
        _plan(province[code])
    assert "không ban hành kế hoạch" in str(error.value)


def test_a_partial_committee_issues_no_plan(province):
    partial = make_org(province["offices"], "DN.QS.CQD.BP", "Đảng bộ bộ phận Văn phòng", K.PARTIAL)
    with pytest.raises(ValidationError) as error:
        _plan(partial)
    assert "Đảng bộ bộ phận Văn phòng (đảng bộ bộ phận) không ban hành kế hoạch" in str(error.value)


def test_the_cap_pools_a_commune_s_own_branches_apart_from_its_grassroots_committees(province):
    village_member = MemberFactory(branch=province["village"])
    office_member = MemberFactory(branch=province["office_branch"])
    base_member = MemberFactory(branch=province["base_branch"])
    assert cap_pool_of(province["village"]) == province["commune"]
    assert cap_pool_of(province["office_branch"]) == province["offices"]
    assert cap_pool_of(province["base_branch"]) == province["base_branch"]
    assert cap_pool_of(province["agency_branch"]) == province["agency"]
    assert set(pool_members(province["commune"])) == {village_member}
    assert set(pool_members(province["offices"])) == {office_member}
    assert set(pool_members(province["base_branch"])) == {base_member}
    assert pools_within(province["city"]) == [
        province["agency"],
        province["base_branch"],
        province["commune"],
        province["offices"],
    ]
    # Counted together (a page of pools), each member is in the one pool above them.
    counted = member_pools(pools_within(province["city"]), 2025)
    assert [set(s.undecided) for s in counted] == [
        set(),
        {base_member.pk},
        {village_member.pk},
        {office_member.pk},
    ]


def test_the_organization_form_offers_the_pre_2025_kinds_apart(province, login):
    from django.urls import reverse

    page = login(_city_staff(province)).get(
        reverse("branches:organization_create", args=[province["city"].pk])
    )
    html = page.content.decode()
    assert '<optgroup label="Tổ chức đảng hiện nay (từ 1/7/2025)">' in html
    assert '<optgroup label="Trước 1/7/2025 (lưu lịch sử)">' in html
    assert html.index("Đảng bộ xã, phường, đặc khu") < html.index("Trước 1/7/2025")

"""The ratings summary of an upper committee at the size of a province (issue 21): its pools a
page at a time, with the branches inside them; the Excel file still holds every pool; the
queries do not grow with the number of pools."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client

from benchmarking.province import ProvinceSpec, build
from branches.models import Member, MemberStanding, Organization, RoleAssignment
from reports.ratings.selectors import pools_within
from reports.ratings.views import POOLS_PAGE_SIZE

SPEC = ProvinceSpec(committees=8, branches=24, members=240, years=1, seed=5, code="RP", blocks=1)


@pytest.fixture
def province(db):
    return build(SPEC, log=lambda *_: None)


def test_the_pools_of_a_province_a_page_at_a_time(province, django_assert_max_num_queries):
    root = province.root
    official = RoleAssignment.objects.get(organization=root, role="official").user
    client = Client()
    client.force_login(official)
    pools = pools_within(root)
    assert len(pools) > POOLS_PAGE_SIZE
    url = f"/organizations/{root.pk}/ratings/summary/"
    client.get(url)  # the session's first page
    with django_assert_max_num_queries(45):
        first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    on_first = [p for p in pools if f'id="pool-{p.pk}"' in first]
    on_second = [p for p in pools if f'id="pool-{p.pk}"' in second]
    assert on_first == pools[:POOLS_PAGE_SIZE]
    assert on_second == pools[POOLS_PAGE_SIZE : 2 * POOLS_PAGE_SIZE]
    # The branch table holds the branches of the page's pools, not the province's.
    branches = Organization.objects.filter(path__startswith=root.path, kind="branch")
    for branch in branches:
        inside_first = any(branch.path.startswith(p.path) for p in on_first)
        assert (f">{branch.name}</a></td>" in first) == inside_first, branch.name
    assert "Trang 1/" in first

    # The Excel file: every pool.
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    cells = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row}
    assert all(f"Đảng viên — {pool.name}" in cells for pool in pools)


def test_the_pools_counted_together_as_one_by_one(province, django_assert_max_num_queries):
    """member_pools (a page of pools, a block committee's plan) counts each pool as counting
    its own members alone would — the members pool_members names, left out, decided and not
    — in queries that do not grow with the number of pools."""
    from reports.ratings.models import MemberRating
    from reports.ratings.selectors import left_out, member_pools, pool_members

    # Decisions on two members in three, an exemption, a newcomer: each pool differs.
    year = 2025
    members = list(Member.objects.filter(branch__path__startswith=province.root.path))
    levels = ["excellent", "good", "", "completed", "good", ""]
    MemberRating.objects.bulk_create(
        MemberRating(member=m, branch_id=m.branch_id, year=year, decided_level=levels[i % 6])
        for i, m in enumerate(members)
    )
    Member.objects.filter(pk=members[7].pk).update(
        join_date=datetime.date(year, 10, 1), official_date=None
    )
    MemberStanding.objects.create(
        member=members[11],
        kind=MemberStanding.Kind.EXEMPT,
        start_date=datetime.date(year, 3, 1),
        decision="QĐ 1",
        recorded_by=RoleAssignment.objects.get(organization=province.root, role="official").user,
    )
    pools = pools_within(province.root)
    with django_assert_max_num_queries(6):
        together = member_pools(pools, year)
    assert [s.pool for s in together] == pools
    assert sum(len(s.decided) for s in together) > 0
    left = {pk for s in together for pk in s.left_out}
    assert {members[7].pk, members[11].pk} <= left
    for status in together:
        members = list(pool_members(status.pool).order_by("sort_key", "id"))
        excluded = left_out(members, year)
        decided = dict(
            MemberRating.objects.filter(member__in=members, year=year)
            .exclude(decided_level="")
            .values_list("member_id", "decided_level")
        )
        rateable = [m.pk for m in members if m.pk not in excluded]
        assert status.left_out == excluded
        assert status.decided == decided
        assert status.undecided == [pk for pk in rateable if pk not in decided]
        assert status.counts.rated == len(rateable)
        assert status.counts.excellent == sum(
            1 for pk in rateable if decided.get(pk) == "excellent"
        )

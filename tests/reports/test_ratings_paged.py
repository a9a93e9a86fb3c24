"""The ratings summary of an upper committee at the size of a province (issue 21): its pools a
page at a time, with the branches inside them; the Excel file still holds every pool; the
queries do not grow with the number of pools."""

import io

import openpyxl
import pytest
from django.test import Client

from benchmarking.province import ProvinceSpec, build
from branches.models import Organization, RoleAssignment
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

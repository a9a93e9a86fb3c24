"""Every page, found by following links (issue 21): the rules that do not depend on the machine,
checked at the small size — every page a role reaches opens, no HTML page is over the size limit,
no list of rows longer than PICKER_MAX_OPTIONS is sent whole (it is searched on the server), and
a page's SQL queries do not grow with the number of organizations. The timings are the
benchmark's (manage.py benchmark_pages, docs/benchmarks.md)."""

import io
import json
import unicodedata

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from benchmarking.crawl import HTML_LIMIT, Crawl
from benchmarking.management.commands.benchmark_pages import roles_of
from benchmarking.province import ProvinceSpec, build
from branches.models import Organization, User

DEMO_ROLES = [
    "canbo.quephu",  # commune staff
    "lanhdao.quephu",  # commune leader
    "bithu.quephu01",  # branch secretary
    "theodoi.queson",  # official
    "lanhdao.vpvp",  # the 2022 committee's leader (plans, decisions, documents)
    "dv.dinhhuutrung.01",  # a member
]
PICKER_LIMIT = 20  # small enough that the demo's organization and member lists exceed it


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def open_limits(settings):
    settings.BONTOT_RATE_DOCUMENTS = "100000/m"
    settings.PICKER_MAX_OPTIONS = PICKER_LIMIT


def _crawl(username: str, **options) -> Crawl:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return Crawl(client, ["/", "/todo/"], **options).run()


def test_every_page_of_the_demo_opens_within_the_limits(demo, open_limits):
    """As every role of the demo: each page and document reached by a link opens (or redirects),
    no HTML page is over 200 KB, and no select holds more rows than the picker's limit."""
    patterns = set()
    for username in DEMO_ROLES:
        crawl = _crawl(username, samples=1, limit=300)
        assert len(crawl.visits) < 300, f"{username}: the crawl did not end"
        for visit in crawl.visits:
            assert visit.status in (200, 302), (username, visit.url, visit.status)
            if visit.is_html:
                assert visit.size <= HTML_LIMIT, (username, visit.url, visit.size)
            assert visit.largest_select <= PICKER_LIMIT, (username, visit.url)
        patterns |= set(crawl.by_pattern())
    # The crawl reaches the whole app, not a corner of it.
    assert len(patterns) > 80, sorted(patterns)
    for name in [
        "branches:member_list",
        "criteria:plan_detail",
        "pledges:pledge_detail",
        "reports:summary",
        "reports:plan_reviews",
        "reports:my_records",
    ]:
        assert name in patterns, name


SMALL = ProvinceSpec(committees=2, branches=6, members=90, years=2, seed=3, code="QA", blocks=1)
LARGE = ProvinceSpec(committees=2, branches=30, members=450, years=2, seed=3, code="QB", blocks=1)


def test_queries_do_not_grow_with_the_number_of_organizations(db, open_limits):
    """The same roles in two provinces, one with five times the branches and members of the
    other: for each role and URL pattern, the fewest queries among the addresses the crawl
    kept differ by at most five — what addresses in other states may add (a returned pledge's
    reason, an amended version) — where a query per row would add the 24 more branches."""
    for spec in (SMALL, LARGE):
        build(spec, log=lambda *_: None)
    fewest = {}
    for spec in (SMALL, LARGE):
        for role, user in roles_of(spec.code).items():
            for visit in _crawl(user.username, samples=2, limit=400).visits:
                counts = fewest.setdefault((role, visit.pattern), {})
                counts[spec.code] = min(counts.get(spec.code, visit.queries), visit.queries)
    compared = {key: counts for key, counts in fewest.items() if len(counts) == 2}
    assert len(compared) > 100
    grown = {key: counts for key, counts in compared.items() if counts["QB"] > counts["QA"] + 5}
    assert not grown, grown


def test_a_long_list_holds_the_chosen_row_and_is_searched_on_the_server(demo, settings):
    """Past the limit the organization filter of the member list sends no rows but the chosen
    one; the page answers the picker's question from the field's own queryset (the user's
    subtrees), diacritics and Unicode normalization ignored."""
    settings.PICKER_MAX_OPTIONS = 3
    client = Client()
    client.force_login(User.objects.get(username="canbo.quephu"))
    commune = Organization.objects.get(name="Đảng bộ xã Quế Phú")
    page = client.get("/members/", {"organization": commune.pk}).content.decode()
    select = page[
        page.index('name="organization"') : page.index(
            "</select>", page.index('name="organization"')
        )
    ]
    assert select.count("<option") == 2 and f'value="{commune.pk}" selected' in select
    assert 'data-picker-search="id_organization"' in page

    nfd = unicodedata.normalize("NFD", "QUẾ PHÚ")
    answer = json.loads(client.get("/members/", {"pick": "organization", "q": nfd}).content)
    names = {row["text"].lstrip("— ") for row in answer["results"]}
    assert "Đảng bộ xã Quế Phú" in names and all("Quế Phú" in name for name in names)
    # Outside the user's subtrees: not offered.
    outside = Organization.objects.exclude(path__startswith=commune.path).filter(depth=2).first()
    answer = json.loads(
        client.get("/members/", {"pick": "organization", "q": outside.name}).content
    )
    assert answer["results"] == []
    # A field that is not a picker is no question.
    assert client.get("/members/", {"pick": "status", "q": "x"}).status_code == 404

    # Below the limit the same field lists every row.
    settings.PICKER_MAX_OPTIONS = 200
    page = client.get("/members/").content.decode()
    assert "data-picker-search" not in page and page.count("Chi bộ") > 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_member_and_organization_search_is_served_by_a_trigram_index(db):
    """`search_key LIKE '%…%'` — the query the lists run — can use the trigram indexes of
    branches 0010 (the planner is told to use no other access path, since the test's tables
    are small)."""
    from branches.models import Member
    from branches.selectors import search_members, search_organizations

    for queryset, index in [
        (search_members(Member.objects.all(), "Văn Tài"), "branches_member_search_trgm"),
        (
            search_organizations(Organization.objects.all(), "Quế Phú"),
            "branches_organization_search_trgm",
        ),
    ]:
        with connection.cursor() as cursor:
            # Tiny tables: told not to scan the table nor walk another index in order (the
            # list's sort key), the planner shows whether the trigram index can serve the filter.
            for scan in ("seqscan", "indexscan", "indexonlyscan"):
                cursor.execute(f"SET LOCAL enable_{scan} = off")
            sql, params = queryset.order_by().query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert index in plan, plan

"""The dashboard's figures (and the organization pages' member counts) are cached under the data version, which database triggers change in
the writer's transaction: every kind of write shows on the next request. Real database, no mocks;
run on SQLite and PostgreSQL."""

import datetime
import re
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.imports import MemberImporter, OrganizationImporter
from branches.models import Member
from branches.services import member_leave
from caching.figures import data_version
from caching.models import MEMBERS_WATCHED_TABLES, WATCHED_TABLES, WATCHED_USER_COLUMNS, DataVersion
from pledges import services as pledges
from pledges.models import Registration
from reports.reviews import services as reviews
from reports.summaries.home import _figures
from tests.branches.test_import import MEMBER_HEADER, ORG_HEADER, member_row, xlsx
from tests.conftest import sign_pledge_directly
from tests.factories import administrator
from tests.reports.helpers import assess, fill_and_submit


def _committee_row(client, world):
    """The official's rollup row of the commune committee, as the page shows it."""
    page = client.get(reverse("home"))
    assert page.status_code == 200
    (row,) = [r for r in page.context["rollup"] if r.organization == world.committee]
    return row


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("home"), params).status_code == 200
    return len(context.captured_queries)


def test_a_warm_dashboard_is_served_in_a_few_queries(world, live_plan, login):
    client = login(world.users["leader"])
    cold = _queries(client)
    warm = _queries(client)
    # Session, user, the data version of the figures, and the two versions the work queue is
    # cached under (read together, once for the page's queue and the navigation's count); the
    # roles for the navigation come with the figures. (The memory cache here; the database
    # cache adds a query per cached value.)
    assert warm <= 4 < cold
    assert _queries(client, year=timezone.localdate().year - 1) > warm  # another key: computed


def test_register_sign_and_finalize_show_at_once(world, live_plan, login):
    client = login(world.users["official"])
    row = _committee_row(client, world)
    assert (row.targets, row.registered, row.signed, row.finalized) == (2, 0, 0, 0)
    assert _committee_row(client, world).registered == 0  # now from the cache

    registration = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    assert _committee_row(client, world).registered == 1

    sign_pledge_directly(world, registration)
    assert _committee_row(client, world).signed == 1

    review = assess(world, fill_and_submit(world, registration, Decimal("0.9")))
    assert _committee_row(client, world).submitted == 1
    reviews.review_finalize(actor=world.users["leader"], review=review)
    row = _committee_row(client, world)
    assert (row.finalized, row.reached) == (1, 1)


def test_an_import_and_a_raw_bulk_update_show_at_once(world, live_plan, login):
    client = login(world.users["official"])
    drill = {"org": world.committee.pk}
    page = client.get(reverse("home"), drill)
    assert [r.organization.code for r in page.context["rollup"]] == ["QS.QP.01", "QS.QP.02"]

    rows = [ORG_HEADER, ["QS.QP.03", "Chi bộ thôn Mới", "Chi bộ", "QS.QP", "Quế Phú"]]
    assert OrganizationImporter(actor=world.users["staff"]).commit(xlsx(rows)).ok
    page = client.get(reverse("home"), drill)
    assert [r.organization.code for r in page.context["rollup"]][-1] == "QS.QP.03"

    # No service, no signal: a queryset update straight to the table (as a SQL prompt would).
    pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    assert _committee_row(client, world).registered == 1
    Registration.objects.filter(plan=live_plan).update(status=Registration.Status.WITHDRAWN)
    assert _committee_row(client, world).registered == 0


def test_a_login_does_not_empty_the_cache_but_a_new_name_does(world, live_plan, login):
    before = data_version()
    login(world.users["secretary_other"])  # last_login is written
    assert data_version() == before
    world.users["secretary_own"].full_name = "Phạm Văn Tài Mới"
    world.users["secretary_own"].save(update_fields=["full_name"])
    assert data_version() != before


TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


@pytest.mark.parametrize("username", ["leader", "official", "secretary_own", "staff"])
def test_the_triggers_cover_every_table_the_dashboard_reads(world, live_plan, username):
    pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    user = world.users[username]
    with CaptureQueriesContext(connection) as context:
        _figures(user, timezone.localdate().year, None)
    read = {t for q in context.captured_queries for t in TABLE.findall(q["sql"])}
    # The user table is watched for the columns a dashboard shows or that grant rights.
    assert read <= set(WATCHED_TABLES) | {"branches_user"}, read - set(WATCHED_TABLES)
    # And the migration that made the triggers was made from the same list.
    migration = import_module("reports.migrations.0004_dataversion")
    added = import_module("reports.migrations.0016_dataversion_organization_rating")
    assert (migration.TABLES + added.TABLES, migration.USER_COLUMNS) == (
        WATCHED_TABLES,
        WATCHED_USER_COLUMNS,
    )


# The member counts of the organization pages: cached under the members' data version.


def _counts(client) -> dict[str, int]:
    page = client.get(reverse("branches:organization_list"))
    return {row["org"].code: row["org"].member_count for row in page.context["rows"]}


def test_member_counts_follow_an_import_a_leave_and_a_move(world, login):
    client = login(world.users["official"])
    assert _counts(client)["QS"] == 2  # member_a, member_b
    assert _counts(client)["QS"] == 2  # from the cache
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("branches:organization_list"))
    # (The data versions' own query names the members table: the user's units.)
    assert not any(
        "branches_member" in q["sql"] and "caching_unitversion" not in q["sql"]
        for q in context.captured_queries
    )

    data = xlsx([MEMBER_HEADER, member_row(card="49015555", branch="QS.QP.01")])
    assert MemberImporter(actor=world.users["staff"]).commit(data).ok
    counts = _counts(client)
    assert (counts["QS.QP.01"], counts["QS.QP"], counts["QS"]) == (2, 3, 3)

    member_leave(
        actor=administrator(), member=world.member_b, date=datetime.date.today(), reason="deceased"
    )
    counts = _counts(client)
    assert (counts["QS.QP.02"], counts["QS.QP"], counts["QS"]) == (0, 2, 2)

    # A raw update, as from a SQL prompt: the trigger sees it too.
    Member.objects.filter(pk=world.member_a.pk).update(branch=world.other_branch)
    counts = _counts(client)
    assert (counts["QS.QP.01"], counts["QS.QM.01"], counts["QS"]) == (1, 1, 2)


def test_member_edits_leave_the_dashboard_cache_alone(world):
    dashboard = data_version(DataVersion.DASHBOARD)
    members = data_version(DataVersion.MEMBERS)
    world.member_a.full_name = "Võ Thị Ánh Hồng"
    world.member_a.save()
    assert data_version(DataVersion.DASHBOARD) == dashboard
    assert data_version(DataVersion.MEMBERS) != members


def test_the_member_triggers_match_the_model_list():
    migration = import_module("reports.migrations.0005_dataversion_members")
    assert migration.TABLES == MEMBERS_WATCHED_TABLES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_do_not_queue_on_the_version_row_and_each_commit_changes_it(world):
    """Real commits on two connections: a transaction that has written a watched table but not
    yet committed does not hold up another writer (the triggers fire at COMMIT), the version
    changes when — and only when — each writer commits."""
    import threading

    from django.db import connections, transaction

    from branches.models import Organization

    data_version()  # an earlier test's flush may have emptied the table: this puts the row back
    before = data_version()
    assert before is not None
    written, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                Organization.objects.filter(pk=world.branch_a.pk).update(
                    name="Chi bộ thôn Phú Lộc A"
                )
                written.set()
                release.wait(20)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert written.wait(20)
        assert data_version() == before  # not committed yet: nothing to see
        finished = threading.Event()

        def quick_writer():
            try:
                Organization.objects.filter(pk=world.branch_b.pk).update(
                    name="Chi bộ thôn Hương Mao B"
                )
            finally:
                connections.close_all()
                finished.set()

        threading.Thread(target=quick_writer).start()
        assert finished.wait(5), "the second writer waited for the first one's commit"
        after_quick = data_version()
        assert after_quick != before
    finally:
        release.set()
        thread.join(20)
    assert done.is_set()
    assert data_version() not in (before, after_quick)


def test_each_process_keeps_its_own_copy_in_front_of_the_shared_cache(world):
    from django.core.cache import caches

    from caching.figures import get_or_compute

    calls = []

    def compute():
        calls.append(1)
        return {"rows": [1, 2, 3]}

    first = get_or_compute("copy-test", ("a",), compute)
    caches["figures"].clear()  # the shared cache loses it: this process still has its copy
    second = get_or_compute("copy-test", ("a",), compute)
    assert first == second == {"rows": [1, 2, 3]} and len(calls) == 1
    second["rows"].append(4)  # a caller changing what it got changes nobody else's
    assert get_or_compute("copy-test", ("a",), compute) == {"rows": [1, 2, 3]}

    world.member_a.branch.name = "Chi bộ thôn Phú Lộc Mới"
    world.member_a.branch.save()  # a write: a new version, a new key, computed again
    get_or_compute("copy-test", ("a",), compute)
    assert len(calls) == 2


def test_every_data_version_trigger_survives_the_migrations(db):
    """SQLite rebuilds a table for some schema changes and the rebuilt table has no triggers:
    after all the migrations, every watched table still has its triggers (reports 0020 puts
    back what rebuilds dropped). On PostgreSQL, every watched table has its constraint
    trigger for each data-version row."""
    from reports.migrations import _data_version_triggers

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {row[0] for row in cursor.fetchall()}
            missing = set(_data_version_triggers.current()) - present
            assert not missing, sorted(missing)
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE 'bontot_data_version%' OR t.tgname = 'bontot_unit_version'"
            )
            present = set(cursor.fetchall())
            from caching.models import MEMBERS_WATCHED_TABLES, SUMMARY_WATCHED_TABLES, UNIT_TABLES

            # A table of UNIT_TABLES has the unit trigger instead (reports 0026).
            wanted = (
                {(t, "bontot_data_version") for t in [*WATCHED_TABLES, "branches_user"]}
                | {(t, "bontot_data_version_members") for t in MEMBERS_WATCHED_TABLES}
                | {(t, "bontot_data_version_summary") for t in SUMMARY_WATCHED_TABLES}
            )
            wanted = {(t, name) for t, name in wanted if t not in UNIT_TABLES} | {
                (t, "bontot_unit_version") for t in UNIT_TABLES
            }
            assert not wanted - present, sorted(wanted - present)
            row_triggers = {"bontot_data_version", "bontot_data_version_members"}
            row_triggers.add("bontot_data_version_summary")
            left = {(t, n) for t, n in present if t in UNIT_TABLES and n in row_triggers}
            assert not left, sorted(left)

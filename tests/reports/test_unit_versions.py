"""Data versions per unit (issue 21, migration reports 0026): a write in one commune gives new
keys to that commune's figures and to those of the committees above it, and leaves every other
commune's cached figures where they were. Real triggers on SQLite and PostgreSQL."""

from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organization, RoleAssignment
from caching import models as caching_models
from caching.figures import STEPLEN, data_versions
from caching.models import UNIT_TABLES, DataVersion, UnitVersion
from reports.migrations import _data_version_triggers
from tests.factories import UserFactory, give_role
from tests.reports.helpers import assess, decide_quality, fill_and_submit

ALL = (DataVersion.DASHBOARD, DataVersion.MEMBERS, DataVersion.SUMMARY)


def _versions(organization):
    return data_versions(ALL, under=[organization.path])


def test_the_migration_and_the_live_list_agree():
    frozen = import_module("reports.migrations.0026_unit_data_versions")
    assert frozen.UNIT_TABLES == UNIT_TABLES
    assert frozen.UNIT_DEPTH == caching_models.UNIT_DEPTH
    assert frozen.STEPLEN == STEPLEN == Organization.steplen
    # Every unit table is watched (caching.models' lists) under the scopes its trigger changes.
    watched = {
        DataVersion.DASHBOARD: caching_models.WATCHED_TABLES,
        DataVersion.MEMBERS: caching_models.MEMBERS_WATCHED_TABLES,
        DataVersion.SUMMARY: caching_models.SUMMARY_WATCHED_TABLES,
    }
    for table, (scopes, _expression) in UNIT_TABLES.items():
        assert set(scopes) == {s for s, tables in watched.items() if table in tables}, table


@pytest.fixture
def rated(world, signed_registration):
    """Branch A of the commune committee with a submitted, assessed review and a decided
    quality rating: rows in most of the unit tables, all in the committee's unit."""
    review = assess(world, fill_and_submit(world, signed_registration))
    decide_quality(world, world.branch_a, review.year)
    return review


def test_every_unit_table_attributes_a_write_to_its_commune(world, rated):
    covered = []
    for table in UNIT_TABLES:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} ORDER BY id")  # noqa: S608 (our own names)
            ids = [row[0] for row in cursor.fetchall()]
        if not ids or table == "pledges_signature":  # written once: the signing test below
            continue
        own, other, root = (
            _versions(world.committee),
            _versions(world.other_committee),
            _versions(world.district),
        )
        with connection.cursor() as cursor:
            # A write that changes nothing still fires the triggers (and the history guards allow
            # it on every table here: the row stays what it was).
            cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [ids[-1]])  # noqa: S608
        assert _versions(world.other_committee) == other, table
        assert _versions(world.committee) != own, table
        assert _versions(world.district) != root, table
        covered.append(table)
    # The fixture writes these; a new unit table should get a row here too.
    assert set(covered) >= {
        "branches_member",
        "pledges_registration",
        "pledges_pledge",
        "reports_review",
        "reports_reviewscore",
        "reports_organizationrating",
        "reports_memberrating",
    }, covered


def _criteria_locked(plan):
    """The plan's first signature anywhere locks its criteria (a write to the plan, which every
    commune's figures read): done here beforehand, as in any week after the first signature."""
    from django.utils import timezone

    from criteria.models import Plan

    Plan.objects.filter(pk=plan.pk).update(criteria_locked_at=timezone.now())


def test_signing_changes_only_the_signers_commune(world, live_plan, login):
    from pledges import services as pledges
    from tests.conftest import sign_pledge_directly

    _criteria_locked(live_plan)
    registration = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    own, other = _versions(world.committee), _versions(world.other_committee)
    rows = UnitVersion.objects.count()
    sign_pledge_directly(world, registration)
    assert _versions(world.other_committee) == other
    assert _versions(world.committee) != own
    assert UnitVersion.objects.count() >= rows


def test_a_row_without_an_organization_changes_the_whole_database_row(world, rated):
    """A write attributed to one commune leaves the whole-database rows alone; a row whose
    organization the trigger cannot find (here a signature on a kind of document the unit
    list does not know) falls back to them, and so to everyone's keys."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from partydocs.models import Signature

    whole = data_versions(ALL, under=[])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE branches_member SET id = id WHERE id = %s", [world.member_a.pk])
    assert data_versions(ALL, under=[]) == whole

    other = _versions(world.other_committee)
    Signature.objects.create(
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=world.branch_a.pk,
        role=Signature.Role.SIGNER,
        user=world.users["staff"],
        full_name="Lê Văn Thử",
        position="Cán bộ",
        signed_at=timezone.now(),
        method="test",
        canonical="{}",
        content_hash="0" * 64,
        code="unit-version-fallback",
    )
    assert data_versions(ALL, under=[]) != whole
    assert _versions(world.other_committee) != other  # everyone's keys include the whole row


def test_the_unit_triggers_survive_the_migrations_on_sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's triggers are checked in test_dashboard_cache")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    assert not set(_data_version_triggers.current()) - present
    # The whole-database row triggers of the unit tables are gone.
    moved = {n for n in present if any(f"_{t}_" in n for t in UNIT_TABLES)}
    assert all(n.startswith("bontot_unit_version_") or "data_version" not in n for n in moved)


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("home")).status_code == 200
    return len(context.captured_queries)


def test_another_communes_dashboard_stays_cached_while_this_one_signs(world, live_plan, login):
    from django.test import Client

    from pledges import services as pledges
    from tests.conftest import sign_pledge_directly

    _criteria_locked(live_plan)
    other_staff = UserFactory(full_name="Phan Văn Khải")
    give_role(other_staff, world.other_committee, RoleAssignment.Role.STAFF)
    other, own = Client(), Client()
    other.force_login(other_staff)
    own.force_login(world.users["staff"])
    for client in (other, own):
        _home_queries(client)  # the session's first page
        _home_queries(client)
    warm_other, warm_own = _home_queries(other), _home_queries(own)

    registration = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    sign_pledge_directly(world, registration)

    assert _home_queries(other) == warm_other  # the same key: served from the cache
    assert _home_queries(own) > warm_own  # its commune wrote: computed again
    page = own.get(reverse("home"))
    assert "Chi bộ thôn Phú Lộc" in page.content.decode()

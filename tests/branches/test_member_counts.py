"""The active members per branch (MemberCount) are kept by triggers on the members: whatever
writes them — a service, an import, the ORM's bulk paths, raw SQL — the counts equal a fresh
count of the members. Real database, run on SQLite and PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count

from branches.imports import MemberImporter
from branches.models import Member, MemberCount, Membership
from branches.services import member_leave
from tests.branches.test_import import MEMBER_HEADER, member_row, xlsx
from tests.factories import administrator


def _kept() -> dict[int, int]:
    return {c.branch_id: c.active for c in MemberCount.objects.all() if c.active}


def _counted() -> dict[int, int]:
    return dict(
        Member.objects.filter(is_active=True)
        .order_by()
        .values("branch")
        .annotate(n=Count("id"))
        .values_list("branch", "n")
    )


def test_the_counts_follow_every_kind_of_write(world):
    assert _kept() == _counted() and sum(_kept().values()) >= 2

    rows = [MEMBER_HEADER, member_row(card="49015555", branch="QS.QP.01")]
    assert MemberImporter(actor=world.users["staff"]).commit(xlsx(rows)).ok
    assert _kept() == _counted()
    assert _kept()[world.branch_a.pk] == 2

    member_leave(
        actor=administrator(), member=world.member_b, date=datetime.date.today(), reason="deceased"
    )
    assert _kept() == _counted()

    # Straight to the table: a move, a leave and a return, a delete.
    Member.objects.filter(pk=world.member_a.pk).update(branch=world.other_branch)
    assert _kept() == _counted() and _kept()[world.other_branch.pk] >= 1
    Member.objects.filter(pk=world.member_a.pk).update(is_active=False)
    assert _kept() == _counted()
    Member.objects.filter(pk=world.member_a.pk).update(is_active=True, branch=world.branch_a)
    assert _kept() == _counted()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Member._meta.db_table} SET full_name = full_name || ' ' WHERE id = %s",
            [world.member_a.pk],
        )  # an update of another column leaves the counts alone
    assert _kept() == _counted()
    Membership.objects.filter(member__card_number="49015555").delete()
    Member.objects.filter(card_number="49015555").delete()
    assert _kept() == _counted()


@pytest.mark.postgres
def test_truncating_the_members_empties_the_counts(world):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending key checks before TRUNCATE
        cursor.execute(f"TRUNCATE {Member._meta.db_table} CASCADE")
    assert _kept() == {} == _counted()

"""Nobody edits the audit history: the admin shows it read-only, no admin page reaches the
historical rows, and on PostgreSQL the database itself refuses to update or delete them."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from branches.models import Member

OUR_APPS = {"branches", "criteria", "pledges", "reports"}


def history_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model.__name__.startswith("Historical")
    ]


def test_no_admin_page_edits_historical_rows():
    assert len(history_models()) >= 20
    assert [m for m in history_models() if m in admin.site._registry] == []


@pytest.fixture
def superuser_client(world, client):
    user = world.users["staff"]
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(user)
    return client


def test_a_past_version_can_be_seen_but_not_reverted_in_the_admin(world, superuser_client):
    member = world.member_a
    member.full_name = "Võ Thị Ánh Hồng"
    member.save()
    first = member.history.earliest()
    url = reverse("admin:branches_member_simple_history", args=[member.pk, first.history_id])
    page = superuser_client.get(url)
    assert page.status_code == 200 and "Võ Thị Ánh" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()  # no revert button…
    history_count = member.history.count()
    response = superuser_client.post(
        url, {"full_name": "Võ Thị Ánh", "card_number": member.card_number, "_save": "1"}
    )
    assert response.status_code == 403  # …and a hand-made POST is refused
    member.refresh_from_db()
    assert member.full_name == "Võ Thị Ánh Hồng"
    assert member.history.count() == history_count


@pytest.mark.postgres
def test_every_history_table_has_the_append_only_trigger(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = 'history_append_only' AND event_manipulation = 'UPDATE'"
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert {m._meta.db_table for m in history_models()} <= guarded


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_or_delete_history(world):
    member = world.member_a
    member.full_name = "Võ Thị Ánh Hồng"
    member.save()  # a new history row: inserting is allowed
    record = member.history.latest()
    with pytest.raises(IntegrityError, match="audit history"), transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(full_name="Người khác")
    with pytest.raises(IntegrityError, match="audit history"), transaction.atomic():
        type(record).objects.filter(pk=record.pk).delete()
    # Not even by raw SQL with the application's own connection.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {record._meta.db_table}")
    assert Member.history.get(history_id=record.history_id).full_name == "Võ Thị Ánh Hồng"
    # Deleting an account that appears in the history is refused too (Django would blank the
    # rows' history_user): deactivate the account instead.
    leader = world.users["leader"]
    member._history_user = leader
    member.full_name = "Võ Thị Ánh"
    member.save()
    with pytest.raises(IntegrityError, match="audit history"), transaction.atomic():
        leader.delete()
    assert member.history.latest().history_user == leader

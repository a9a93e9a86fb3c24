"""The load test's writers (benchmarking/locustfile.py) re-submit the real forms as a page shows
them: the form reader they use (benchmarking.htmlforms) must give back what each form needs for a
real save, and the Server-Timing header they read the cache hit ratio from must count what the
figures cache did."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse

from benchmarking.htmlforms import form_data, post_form
from reports.meetings.models import Meeting
from tests.conftest import PASSWORD
from tests.reports.helpers import fill_and_submit


def _resubmit(client, path, **changes):
    page = client.get(path)
    assert page.status_code == 200
    form = post_form(page.content.decode(), path)
    assert form is not None, path
    data: dict[str, list[str]] = {}
    for name, value in form_data(form, changes):
        data.setdefault(name, []).append(value)
    return client.post(path, data)


def test_a_meeting_record_resubmitted_as_shown_is_saved(world, login):
    meeting = Meeting.objects.create(
        branch=world.branch_a,
        date=datetime.date(2026, 3, 5),
        kind="regular",
        topic="Tháng 3",
        duration_minutes=90,
        created_by=world.users["secretary_own"],
    )
    # With its minutes, as every meeting of the synthetic province (a record without them is
    # refused: the minutes are required).
    content = b"%PDF-1.4 test"
    meeting.minutes_name, meeting.minutes_sha256 = (
        "bien-ban.pdf",
        hashlib.sha256(content).hexdigest(),
    )
    meeting.minutes.save("bien-ban.pdf", ContentFile(content))
    meeting.attendance.create(member=world.member_a, status="present")
    client = login(world.users["secretary_own"])
    before = meeting.history.count()
    response = _resubmit(client, reverse("reports:meeting_edit", args=[meeting.pk]))
    assert response.status_code == 302
    assert meeting.history.count() == before + 1


def test_an_assessment_resubmitted_as_shown_is_saved(world, signed_registration, login):
    review = fill_and_submit(world, signed_registration)
    client = login(world.users["staff"])
    response = _resubmit(client, reverse("reports:review_assess", args=[review.pk]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.scores.exclude(assessed_score=None).exists()


def test_a_pledge_signed_through_the_form_as_the_writer_fills_it(world, live_plan, login):
    from pledges import services as pledges
    from pledges.models import Pledge

    registration = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    pledge = registration.pledges.get(status=Pledge.Status.DRAFT)
    secretary = world.users["secretary_own"]
    client = login(secretary)
    response = _resubmit(
        client,
        reverse("pledges:pledge_sign", args=[pledge.pk]),
        password=PASSWORD,
        consent="on",
        full_name=secretary.full_name,
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED


def test_server_timing_counts_the_figures_found_and_computed(world, live_plan):
    with override_settings(BONTOT_SERVER_TIMING=True):
        client = Client()
        client.force_login(world.users["leader"])
        first = client.get(reverse("home"))
        second = client.get(reverse("home"))
    assert 'figures;desc="hit=0 miss=' in first["Server-Timing"]
    assert "miss=0" in second["Server-Timing"] and "hit=0" not in second["Server-Timing"]
    plain = Client()
    plain.force_login(world.users["leader"])
    assert "Server-Timing" not in plain.get(reverse("home"))


@pytest.mark.django_db(transaction=True)
def test_the_load_test_waits_for_the_worker_s_backlog():
    """load_plan --drain: tasks queued before the run (documents a crawl sent to the worker)
    are waited for, the heartbeat apart; one left at the deadline stops the run with a message."""
    from django.core.management import CommandError
    from django_tasks_db.models import DBTaskResult

    from benchmarking.management.commands.load_plan import Command, waiting_tasks
    from web.health import worker_heartbeat
    from web.mail import deliver_mail

    worker_heartbeat.enqueue()
    assert waiting_tasks() == 0
    queued = DBTaskResult.objects.get(pk=deliver_mail.enqueue(0).id)
    assert waiting_tasks() == 1
    with pytest.raises(CommandError, match="Còn 1 tác vụ nền"):
        Command()._drain(0)
    DBTaskResult.objects.filter(pk=queued.pk).update(status="SUCCESSFUL")
    assert waiting_tasks() == 0
    Command()._drain(0)  # nothing waiting: returns at once

"""The background path end to end: a real `manage.py db_worker` process on PostgreSQL picks up the
job, renders in its child process, and the file downloads."""

import os
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from reports.summaries.models import GeneratedDocument
from reports.summaries.tasks import generate_document
from tests.pdf import text
from tests.reports.helpers import assess, fill_and_submit
from tests.servers import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_real_worker_generates_the_large_summary(
    world, signed_registration, login, settings_override=None
):
    from reports.reviews import services as reviews

    review = assess(world, fill_and_submit(world, signed_registration, Decimal("0.9")))
    reviews.review_finalize(actor=world.users["leader"], review=review)
    plan = signed_registration.plan
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "BONTOT_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "BONTOT_BACKGROUND_ROWS": "1",
        "BONTOT_MODE": "development",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        from django.test import override_settings

        with override_settings(BONTOT_BACKGROUND_ROWS=1):
            client = login(world.users["leader"])
            response = client.get(
                reverse("reports:summary_export", args=[plan.pk, "pdf"])
                + f"?year={plan.start_year}&round=final"
            )
            job = GeneratedDocument.objects.get()
            assert response["Location"] == reverse("reports:document_status", args=[job.pk])
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status in ("ready", "failed"):
                    break
                time.sleep(0.5)
            assert job.status == "ready", (job.status, job.message)
            body = text(
                b"".join(
                    client.get(
                        reverse("reports:document_download", args=[job.pk])
                    ).streaming_content
                )
            )
            assert "BÁO CÁO" in body and "Chi bộ thôn Phú Lộc" in body
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def _finalized_plan(world, signed_registration):
    from reports.reviews import services as reviews

    review = assess(world, fill_and_submit(world, signed_registration, Decimal("0.9")))
    reviews.review_finalize(actor=world.users["leader"], review=review)
    return signed_registration.plan


def _worker_env():
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "BONTOT_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "BONTOT_MODE": "development",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _wait_for(job, statuses, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job still {job.status} after {seconds}s: {job.message}")


def test_ten_simultaneous_requests_for_the_same_large_report_make_one_job(
    world, signed_registration
):
    """Ten browsers at once, each its own connection and transaction: one job, queued once."""
    import threading

    from django.db import connections
    from django.test import Client, override_settings
    from django_tasks_db.models import DBTaskResult

    plan = _finalized_plan(world, signed_registration)
    url = (
        reverse("reports:summary_export", args=[plan.pk, "pdf"])
        + f"?year={plan.start_year}&round=final"
    )
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(world.users["leader"])
        clients.append(client)
    barrier = threading.Barrier(10)
    locations, errors = [], []

    def ask(client):
        try:
            barrier.wait(timeout=30)
            response = client.get(url)
            locations.append((response.status_code, response.get("Location")))
        except Exception as error:  # reported below, with the others
            errors.append(error)
        finally:
            connections.close_all()

    with override_settings(BONTOT_BACKGROUND_ROWS=1):
        threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors
    job = GeneratedDocument.objects.get()
    assert locations == [(302, reverse("reports:document_status", args=[job.pk]))] * 10
    # One generation queued (the signing's mail notice is a task of its own).
    generations = DBTaskResult.objects.filter(task_path=generate_document.module_path)
    assert generations.count() == 1
    assert generations.get().task_result.args == [job.pk]


def test_a_job_whose_worker_dies_is_failed_with_a_reason_then_retried_by_a_new_worker(
    world, signed_registration, login
):
    """The worker and its render are killed mid-job (as by a crash or the OOM killer): the status
    page says the job stopped and offers a retry; a new worker then makes the file."""
    import signal

    from django.test import override_settings

    plan = _finalized_plan(world, signed_registration)
    client = login(world.users["leader"])
    with override_settings(BONTOT_BACKGROUND_ROWS=1, BONTOT_RENDER_STALE_SECONDS=2):
        client.get(
            reverse("reports:summary_export", args=[plan.pk, "pdf"])
            + f"?year={plan.start_year}&round=final"
        )
        job = GeneratedDocument.objects.get()
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=_worker_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the render child dies with it
        )
        try:
            _wait_for(job, {"running", "ready", "failed"}, 60)
            os.killpg(worker.pid, signal.SIGKILL)
        finally:
            worker.wait(timeout=20)
        assert job.status == "running", "the render finished before the worker could be killed"
        time.sleep(3)  # no heartbeat any more
        page = client.get(reverse("reports:document_status", args=[job.pk])).content.decode()
        job.refresh_from_db()
        assert job.status == "failed" and "dừng giữa chừng" in job.message
        assert "Thử lại" in page
        client.post(reverse("reports:document_retry", args=[job.pk]))
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=_worker_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for(job, {"ready", "failed"}, 90)
        finally:
            worker.terminate()
            worker.wait(timeout=20)
    assert job.status == "ready", job.message
    body = text(
        b"".join(client.get(reverse("reports:document_download", args=[job.pk])).streaming_content)
    )
    assert "Chi bộ thôn Phú Lộc" in body

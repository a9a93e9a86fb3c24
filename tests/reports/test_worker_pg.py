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

from reports.models import GeneratedDocument
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
    from reports.services import reviews

    review = assess(world, fill_and_submit(world, signed_registration, Decimal("0.9")))
    reviews.review_finalize(
        actor=world.users["leader"], review=review, facts={"all_tasks_done": True}
    )
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

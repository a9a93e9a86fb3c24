"""A large member list's Excel is written by the task worker, with the progress page of large
documents; a small one is still answered at once. Either way the file holds the same members,
in the columns of the member import."""

import io

import openpyxl
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from reports.summaries.models import GeneratedDocument
from tests.factories import MemberFactory


def _rows(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_a_small_list_is_answered_at_once(world, login):
    client = login(world.users["staff"])
    response = client.get(reverse("branches:member_list"), {"format": "xlsx"})
    assert response.status_code == 200
    assert not GeneratedDocument.objects.exists()
    assert _rows(response.content)[0][:2] == ("Họ và tên", "Giới tính")


@override_settings(BONTOT_BACKGROUND_ROWS=2)
def test_a_large_list_goes_to_the_worker_and_keeps_the_filters_and_scope(world, login):
    for n in range(3):
        MemberFactory(branch=world.branch_a, full_name=f"Lê Văn Nhiều {n}")
    MemberFactory(branch=world.other_branch, full_name="Ngoài Phạm Vi")
    client = login(world.users["staff"])
    response = client.get(reverse("branches:member_list"), {"format": "xlsx", "q": "Nhiều"})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and "/documents/" in response["Location"]
    job = GeneratedDocument.objects.get()
    assert job.kind == "members" and job.plan is None and job.fmt == "xlsx"
    # What the worker's task runs in its child process (the process itself, its limits and its
    # heartbeat are tested with a real worker in tests/reports/test_worker_pg.py).
    call_command("render_document", str(job.pk))
    job.refresh_from_db()
    assert job.status == "ready", job.message
    download = client.get(reverse("reports:document_download", args=[job.pk]))
    names = [row[0] for row in _rows(b"".join(download.streaming_content))[1:]]
    assert sorted(names) == [f"Lê Văn Nhiều {n}" for n in range(3)]  # filtered, in scope
    # Someone else cannot fetch the file that was made for this user.
    other = login(world.users["secretary_own"])
    assert other.get(reverse("reports:document_download", args=[job.pk])).status_code == 404

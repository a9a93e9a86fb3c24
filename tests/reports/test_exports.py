"""Every list that can be downloaded is written at once when it is small and by the task worker
when it is large (rendering.exports), and the two files hold the same thing: one builder writes
both. The worker's child process itself (its limits, its heartbeat) is tested with a real worker
in tests/reports/test_worker_pg.py; here `render_document` is run as that process runs it."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from pledges import services as pledge_services
from reports.summaries.exports import BUILDERS
from reports.summaries.models import GeneratedDocument
from tests.pdf import text
from tests.sheets import table


@pytest.fixture
def registered(world, live_plan):
    return pledge_services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )


# kind, format, the page's URL for the world and plan, its query
CASES = [
    ("members", "xlsx", lambda w, p: reverse("branches:member_list"), {"format": "xlsx"}),
    (
        "organizations",
        "xlsx",
        lambda w, p: reverse("branches:organization_list"),
        {"format": "xlsx", "kind": "branch"},
    ),
    (
        "registrations",
        "xlsx",
        lambda w, p: reverse("pledges:registration_export", args=[p.pk, "xlsx"]),
        {},
    ),
    (
        "registrations",
        "pdf",
        lambda w, p: reverse("pledges:registration_export", args=[p.pk, "pdf"]),
        {},
    ),
    (
        "reviews",
        "xlsx",
        lambda w, p: reverse("reports:plan_reviews", args=[p.pk]),
        {"format": "xlsx", "round": "final"},
    ),
    ("dashboard", "xlsx", lambda w, p: reverse("home"), {"format": "xlsx"}),
]


def _content(data: bytes, fmt: str):
    if fmt == "pdf":
        return text(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: table(sheet) for sheet in book.worksheets}


def test_every_builder_is_tested():
    assert {kind for kind, *_rest in CASES} == set(BUILDERS)


@pytest.mark.parametrize(("kind", "fmt", "url", "query"), CASES, ids=[c[0] + c[1] for c in CASES])
def test_a_large_list_is_written_by_the_worker_as_the_page_writes_a_small_one(
    world, registered, login, kind, fmt, url, query
):
    client = login(world.users["staff"])
    address = url(world, registered.plan)
    with override_settings(BONTOT_BACKGROUND_ROWS=10_000):
        at_once = client.get(address, query)
    assert at_once.status_code == 200, at_once.content[:300]
    assert not GeneratedDocument.objects.exists()
    expected = _content(at_once.content, fmt)
    assert expected  # the file holds something to compare

    with override_settings(BONTOT_BACKGROUND_ROWS=0):
        response = client.get(address, query)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("reports:export", args=[kind, fmt]))
        response = client.get(response["Location"])
    assert response.status_code == 302 and "/documents/" in response["Location"]
    job = GeneratedDocument.objects.get()
    assert (job.kind, job.fmt, job.plan) == (kind, fmt, None)
    assert client.get(response["Location"]).status_code == 200  # the progress page

    call_command("render_document", str(job.pk))
    job.refresh_from_db()
    assert job.status == GeneratedDocument.Status.READY, job.message
    download = client.get(reverse("reports:document_download", args=[job.pk]))
    assert _content(b"".join(download.streaming_content), fmt) == expected
    # Asked again before anything changes: the same file, not a second job.
    with override_settings(BONTOT_BACKGROUND_ROWS=0):
        client.get(reverse("reports:export", args=[kind, fmt]) + "?" + job.params["query"])
    assert GeneratedDocument.objects.count() == 1
    # The file is its requester's: another person is not given it.
    other = login(world.users["leader"])
    assert other.get(reverse("reports:document_download", args=[job.pk])).status_code == 404


@override_settings(BONTOT_BACKGROUND_ROWS=0)
def test_a_background_list_keeps_the_scope_of_the_person_who_asks(world, registered, login):
    """The builder's own checks run before a job is made: an outsider cannot have the file of a
    plan they cannot see, a secretary not the committee's list, and nonsense is a 404."""
    plan = registered.plan
    outsider = login(world.users["secretary_other"])
    for kind, fmt in (("registrations", "pdf"), ("reviews", "xlsx")):
        url = reverse("reports:export", args=[kind, fmt])
        assert outsider.get(url, {"plan": plan.pk}).status_code == 404
    secretary = login(world.users["secretary_own"])
    url = reverse("reports:export", args=["registrations", "xlsx"])
    assert secretary.get(url, {"plan": plan.pk}).status_code == 403
    staff = login(world.users["staff"])
    for kind, fmt, query in (
        ("nothing", "xlsx", {}),
        ("members", "pdf", {}),
        ("registrations", "docx", {"plan": plan.pk}),
        ("registrations", "xlsx", {"plan": "abc"}),
        ("registrations", "xlsx", {"plan": "١٢"}),
        ("registrations", "xlsx", {}),
        ("reviews", "xlsx", {"plan": plan.pk, "year": "0"}),
        ("reviews", "xlsx", {"plan": plan.pk, "round": "x"}),
    ):
        url = reverse("reports:export", args=[kind, fmt])
        assert staff.get(url, query).status_code == 404, (kind, fmt, query)
    assert not GeneratedDocument.objects.exists()


@override_settings(BONTOT_BACKGROUND_ROWS=0)
def test_a_secretary_gets_only_their_branch_in_the_reviews_file(world, registered, login):
    pledge_services.registration_register(
        actor=world.users["staff"], plan=registered.plan, organization=world.branch_b
    )
    client = login(world.users["secretary_own"])
    response = client.get(
        reverse("reports:plan_reviews", args=[registered.plan.pk]),
        {"format": "xlsx", "round": "final"},
    )
    client.get(response["Location"])
    job = GeneratedDocument.objects.get()
    call_command("render_document", str(job.pk))
    download = client.get(reverse("reports:document_download", args=[job.pk]))
    (rows,) = _content(b"".join(download.streaming_content), "xlsx").values()
    assert [row[0] for row in rows[1:]] == [world.branch_a.name]

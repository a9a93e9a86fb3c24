"""The summary report: figures and names read back, filters carried into exports, the background
path, and honest empty results."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.summaries import jobs as documents
from reports.summaries.models import GeneratedDocument
from reports.summaries.tasks import generate_document
from tests.pdf import text
from tests.reports.helpers import assess, decide_quality, fill_and_submit


@pytest.fixture
def finalized(world, signed_registration):
    from reports.reviews import services as reviews

    review = assess(world, fill_and_submit(world, signed_registration, Decimal("0.9")))
    reviews.review_finalize(actor=world.users["leader"], review=review)
    decide_quality(world, world.branch_a, review.year)
    return signed_registration.plan


def _url(plan, fmt=None, **query):
    base = (
        reverse("reports:summary_export", args=[plan.pk, fmt])
        if fmt
        else reverse("reports:summary", args=[plan.pk])
    )
    params = {"year": plan.start_year, "round": "final", **query}
    return base + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_summary_pdf_reads_back_counts_and_names(world, finalized, login):
    client = login(world.users["leader"])
    body = text(client.get(_url(finalized, "pdf")).content)
    assert "BÁO CÁO" in body and "ĐẢNG CỘNG SẢN VIỆT NAM" in body
    assert "Đã đăng ký xây dựng mô hình: 1/2 (50%)" in body
    assert "Đạt mô hình “Chi bộ 4 tốt”: 1/1 (100%)" in body
    assert "1. Chi bộ thôn Phú Lộc (90 điểm, Hoàn thành tốt nhiệm vụ)" in body
    assert "Chi bộ thôn Hương Mao" in body  # in the annex, not registered


def test_filters_and_sorting_carry_into_the_excel_export(world, finalized, login):
    client = login(world.users["leader"])
    sheet = load_workbook(io.BytesIO(client.get(_url(finalized, "xlsx", reached="yes")).content))[
        "Chi tiết"
    ]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["Chi bộ thôn Phú Lộc"]
    assert rows[0][-4] == 90 and rows[0][-2] == "Có"  # numbers as numbers
    sheet = load_workbook(io.BytesIO(client.get(_url(finalized, "xlsx", sort="name")).content))[
        "Chi tiết"
    ]
    assert [r[1].value for r in sheet.iter_rows(min_row=2)] == [
        "Chi bộ thôn Hương Mao",
        "Chi bộ thôn Phú Lộc",
    ]


def test_filters_that_match_nothing_give_an_honest_empty_report(world, finalized, login):
    client = login(world.users["leader"])
    body = text(client.get(_url(finalized, "pdf", q="khong-co-to-chuc-nay")).content)
    assert "Không có tổ chức nào phù hợp bộ lọc." in body
    assert "Tổ chức thực hiện: 2" in body  # the general figures are still the plan's
    # and the document says the list is filtered, and by what
    assert "chỉ gồm các tổ chức tên hoặc mã có “khong-co-to" in body and "(0 tổ chức)" in body
    assert "Chi bộ thôn Phú Lộc" not in body and "Chi bộ thôn Hương Mao" not in body
    sheet = load_workbook(
        io.BytesIO(client.get(_url(finalized, "xlsx", q="khong-co-to-chuc-nay")).content)
    )["Chi tiết"]
    assert sheet.max_row == 1  # the headers, no invented row
    page = client.get(_url(finalized, q="khong-co-to-chuc-nay")).content.decode()
    assert "Không có tổ chức nào phù hợp bộ lọc." in page


def test_a_plan_outside_the_subtree_is_404(world, finalized, login):
    assert login(world.users["secretary_other"]).get(_url(finalized, "pdf")).status_code == 404
    assert login(world.users["secretary_own"]).get(_url(finalized, "pdf")).status_code == 403


def test_a_large_summary_goes_to_the_background_once(
    world, finalized, login, settings, django_capture_on_commit_callbacks
):
    settings.BONTOT_BACKGROUND_ROWS = 1
    client = login(world.users["leader"])
    with django_capture_on_commit_callbacks() as callbacks:
        responses = [client.get(_url(finalized, "pdf")) for _ in range(10)]
    assert GeneratedDocument.objects.count() == 1
    assert len(callbacks) == 1  # enqueued once
    job = GeneratedDocument.objects.get()
    assert {r["Location"] for r in responses} == {reverse("reports:document_status", args=[job.pk])}
    page = client.get(reverse("reports:document_status", args=[job.pk])).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page


@pytest.fixture
def child_sees_test_database(monkeypatch, settings):
    """The render runs in a child process: point it at the test database and media directory."""
    from tests.reports.test_worker_pg import _database_url

    monkeypatch.setenv("DATABASE_URL", _database_url())
    monkeypatch.setenv("BONTOT_MEDIA_ROOT", str(settings.MEDIA_ROOT))


@pytest.mark.postgres  # the render runs in a child process, which needs a database it can reach
def test_the_task_renders_in_a_child_process_and_the_file_is_reused(
    world, finalized, login, settings, transactional_db, child_sees_test_database
):
    settings.BONTOT_BACKGROUND_ROWS = 1
    client = login(world.users["leader"])
    client.get(_url(finalized, "pdf"))
    job = GeneratedDocument.objects.get()
    generate_document.call(job.pk)
    job.refresh_from_db()
    assert job.status == "ready" and job.progress == 100, job.message
    body = text(
        b"".join(client.get(reverse("reports:document_download", args=[job.pk])).streaming_content)
    )
    assert "Chi bộ thôn Phú Lộc" in body
    client.get(_url(finalized, "pdf"))
    assert GeneratedDocument.objects.count() == 1  # same data: the same file


@pytest.mark.postgres
def test_a_render_over_its_time_limit_fails_with_a_reason_and_can_be_retried(
    world, finalized, login, settings, transactional_db, child_sees_test_database
):
    settings.BONTOT_BACKGROUND_ROWS = 1
    settings.BONTOT_RENDER_TIMEOUT = 0
    client = login(world.users["leader"])
    client.get(_url(finalized, "pdf"))
    job = GeneratedDocument.objects.get()
    generate_document.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "Quá thời gian cho phép" in job.message
    page = client.get(reverse("reports:document_status", args=[job.pk])).content.decode()
    assert "Thử lại" in page
    client.post(reverse("reports:document_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "queued" and job.message == ""


def test_a_job_whose_worker_died_is_marked_failed(world, finalized, login, settings):
    from django.utils import timezone

    settings.BONTOT_BACKGROUND_ROWS = 1
    client = login(world.users["leader"])
    client.get(_url(finalized, "pdf"))
    job = GeneratedDocument.objects.get()
    GeneratedDocument.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = client.get(reverse("reports:document_status", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "dừng giữa chừng" in job.message and "Thử lại" in page


def test_charts_are_accessible_svg(world, finalized, login):
    page = login(world.users["leader"]).get(_url(finalized)).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert '<title id="chart-criteria-t">Điểm bình quân từng tiêu chí (% số điểm)</title>' in page
    assert "Số liệu của biểu đồ" in page  # the numbers beside the chart


def test_issuing_the_numbered_report(world, finalized, login):
    client = login(world.users["leader"])
    url = (
        reverse("reports:summary_issue", args=[finalized.pk])
        + f"?year={finalized.start_year}&round=final"
    )
    client.post(
        url,
        {
            "issue_date": datetime.date.today().strftime("%d/%m/%Y"),
            "signer_name": "Nguyễn Văn Định",
            "recipients": "",
        },
    )
    report = finalized.summary_reports.get()
    assert report.number == "01-BC/ĐU"
    body = text(client.get(_url(finalized, "pdf", report=report.pk)).content)
    assert "Số 01-BC/ĐU" in body and "Nguyễn Văn Định" in body


def test_documents_requested_for_the_same_key_share_one_job(world, finalized):
    params = {
        "plan": finalized.pk,
        "year": finalized.start_year,
        "round": "final",
        "filters": {},
        "report": None,
    }
    jobs = {
        documents.request_document(
            kind="summary",
            fmt="pdf",
            params=params,
            fingerprint="x",
            title="t",
            filename="f.pdf",
            plan=finalized,
            user=world.users["leader"],
        ).pk
        for _ in range(10)
    }
    assert len(jobs) == 1


def test_the_excel_export_keeps_formulas_as_text_and_numbers_as_numbers(world, finalized, login):
    """A name typed as a formula stays those characters in every cell it reaches; it is never
    stored as a formula (the sheet XML holds no <f> element)."""
    import zipfile

    from branches.models import Organization

    Organization.objects.filter(pk=world.branch_a.pk).update(name='=HYPERLINK("http://x","y")')
    content = login(world.users["leader"]).get(_url(finalized, "xlsx")).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
    detail = load_workbook(io.BytesIO(content))["Chi tiết"]
    cell = next(c for row in detail.iter_rows(min_row=2) for c in row if c.column == 2)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
    total = next(r for r in detail.iter_rows(min_row=2) if r[1].value == cell.value)[-3]
    assert total.value == 90 and total.data_type == "n"

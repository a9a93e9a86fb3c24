"""The summary report: figures and names read back, filters carried into exports, the background
path, and honest empty results."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from reports.summaries import jobs as documents
from reports.summaries.models import GeneratedDocument
from reports.summaries.services import report_issue
from reports.summaries.tasks import generate_document
from tests.pdf import text
from tests.reports.helpers import assess, decide_quality, fill_and_submit
from tests.sheets import split, table


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
    assert "Đạt mô hình “Chi bộ bốn tốt”: 1/1 (100%)" in body
    assert "1. Chi bộ thôn Phú Lộc (90 điểm, Hoàn thành tốt nhiệm vụ)" in body
    assert "Chi bộ thôn Hương Mao" in body  # in the annex, not registered


def test_filters_and_sorting_carry_into_the_excel_export(world, finalized, login):
    client = login(world.users["leader"])
    book = load_workbook(io.BytesIO(client.get(_url(finalized, "xlsx", reached="yes")).content))
    # Every sheet says what it is: the report, its plan and year, and the filter applied.
    heading, rows = split(book["Chi tiết"])
    assert heading[0].startswith(f"Báo cáo tổng kết năm {finalized.start_year} — ")
    assert heading[1].startswith(f"Kế hoạch số {finalized.number} — ")
    assert heading[2] == "Lọc: đạt mô hình"
    assert split(book["Tổng hợp"])[0] == heading and split(book["Tiêu biểu"])[0] == heading
    rows = rows[1:]
    assert [r[1] for r in rows] == ["Chi bộ thôn Phú Lộc"]
    assert rows[0][-4] == 90 and rows[0][-2] == "Có"  # numbers as numbers
    sheet = load_workbook(io.BytesIO(client.get(_url(finalized, "xlsx", sort="name")).content))[
        "Chi tiết"
    ]
    assert [r[1] for r in table(sheet)[1:]] == [
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
    assert len(table(sheet)) == 1  # the headers, no invented row
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


NARRATIVE = {
    "results": "Các chi bộ duy trì sinh hoạt đều đặn; chất lượng sinh hoạt được nâng lên.",
    "strengths": "Cấp ủy quan tâm chỉ đạo; các chi bộ ký cam kết đúng hạn.",
    "shortcomings": "Một số chi bộ chưa đổi mới nội dung sinh hoạt, do bí thư mới được bầu.",
    "lessons": "",
    "tasks": "Tiếp tục nâng cao chất lượng sinh hoạt chi bộ trong năm tới.",
}


def _issue(client, plan, **data):
    url = reverse("reports:summary_issue", args=[plan.pk]) + f"?year={plan.start_year}&round=final"
    return client.post(
        url,
        {
            "issue_date": datetime.date.today().strftime("%d/%m/%Y"),
            "signer_title": "BÍ THƯ",
            "signer_name": "Nguyễn Văn Định",
            "recipients": "Ban Thường vụ Huyện ủy (b/c)",
            **NARRATIVE,
            **data,
        },
    )


def test_the_issue_form_starts_from_what_the_figures_say(world, finalized, login):
    page = login(world.users["leader"]).get(_url(finalized))
    form = page.context["issue_form"]
    assert form.fields["sequence"].label == "Số báo cáo"  # not "Số quyết định"
    assert "Có 1/2 tổ chức đăng ký" in form.initial["results"]
    assert "Có 1/1 tổ chức đạt mô hình (100%)" in form.initial["results"]
    assert form.initial["tasks"] == ""  # the data says nothing of the tasks ahead
    # The draft PDF prints the same pre-filled narrative, undated, unnumbered, marked DỰ THẢO.
    body = text(login(world.users["leader"]).get(_url(finalized, "pdf")).content)
    assert "Có 1/2 tổ chức đăng ký" in body and "Số -BC/ĐU" in body and "DỰ THẢO" in body
    assert "ngày … tháng … năm …" in body and "chốt" not in body.lower()


def test_issuing_the_numbered_report_with_its_narrative(world, finalized, login):
    client = login(world.users["leader"])
    _issue(client, finalized)
    report = finalized.summary_reports.get()
    assert report.number == "01-BC/ĐU" and report.sections["tasks"] == NARRATIVE["tasks"]
    body = text(client.get(_url(finalized, "pdf", report=report.pk)).content)
    assert "Số 01-BC/ĐU" in body and "DỰ THẢO" not in body
    for heading in ["Ưu điểm", "Hạn chế, khuyết điểm và nguyên nhân", "PHƯƠNG HƯỚNG, NHIỆM VỤ"]:
        assert heading in body
    for sentence in (v for v in NARRATIVE.values() if v):
        assert sentence in body
    assert "Bài học kinh nghiệm" not in body  # an optional section left empty is left out
    assert "T/M BAN THƯỜNG VỤ BÍ THƯ Nguyễn Văn Định" in body
    assert "- Ban Thường vụ Huyện ủy (b/c), - Lưu Văn phòng Đảng ủy." in body
    # Once issued, the page's first PDF button is the issued, numbered report (the figures of
    # today, unnumbered, are the second one).
    page = client.get(_url(finalized)).content.decode()
    first = page.index("btn btn-party btn-sm")
    assert f"report={report.pk}" in page[first : first + 400] and "PDF Báo cáo số 01-BC/ĐU" in page


def test_bad_issues_are_refused_with_a_message_and_nothing_issued(world, finalized, login):
    client = login(world.users["leader"])
    page = _issue(client, finalized, shortcomings="   ")
    assert page.status_code == 200
    assert "không được để trống" in str(page.context["issue_form"].errors["shortcomings"])
    # What was typed is still on the page.
    assert NARRATIVE["tasks"] in page.content.decode()
    page = _issue(client, finalized, signer_name="")
    assert "signer_name" in page.context["issue_form"].errors
    page = _issue(client, finalized, signer_title="ỦY VIÊN")
    assert "signer_title" in page.context["issue_form"].errors
    assert not finalized.summary_reports.exists()
    _issue(client, finalized)
    with pytest.raises(ValidationError, match="đã được dùng"):
        report_issue(
            actor=world.users["leader"],
            plan=finalized,
            year=finalized.start_year,
            round="interim",
            scope=None,
            issue_date=datetime.date.today(),
            signer_name="Nguyễn Văn Định",
            sections=NARRATIVE,
            sequence=1,
        )
    assert finalized.summary_reports.count() == 1


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
    header_row = next(r[0].row for r in detail.iter_rows() if r[0].value == "STT")
    cell = next(c for row in detail.iter_rows(min_row=header_row + 1) for c in row if c.column == 2)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
    total = next(r for r in detail.iter_rows(min_row=header_row + 1) if r[1].value == cell.value)[
        -3
    ]
    assert total.value == 90 and total.data_type == "n"

"""Word copies of the plan and the summary report, read back with python-docx: the same header,
table and signer layout as the PDF, draft or issued."""

import datetime
import io

from django.urls import reverse
from docx import Document

from tests.reports.test_summary import NARRATIVE, _issue, _url, finalized  # noqa: F401


def _read(content: bytes):
    word = Document(io.BytesIO(content))
    paragraphs = [p.text for p in word.paragraphs]
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return word, "\n".join(paragraphs), cells


def test_the_plan_as_word_has_the_header_table_and_signer_block(world, plan, login):
    client = login(world.users["staff"])
    response = client.get(reverse("criteria:plan_docx", args=[plan.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "Ke-hoach-98-KH-%C4%90U.docx" in response["Content-Disposition"]
    word, text, cells = _read(response.content)
    header = word.tables[0].rows[0].cells
    assert "ĐẢNG ỦY XÃ QUẾ PHÚ" in header[0].text.replace("\xa0", " ")
    assert "Số" in header[0].text and "98-KH" not in header[0].text  # a draft: no number yet
    assert "ngày … tháng … năm …" in header[1].text and "DỰ THẢO" in header[1].text
    section = word.sections[0]
    margins = (section.top_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 30, 15]  # A4, 20 / 30 / 15 mm
    assert "KẾ HOẠCH" in text and "I. MỤC ĐÍCH, YÊU CẦU" in text and "PHỤ LỤC" in text
    criteria_table = word.tables[2]
    indicators = sum(c.indicators.count() for c in plan.criteria.all())
    assert len(criteria_table.rows) == 1 + plan.criteria.count() + indicators + 1
    assert criteria_table.rows[-1].cells[1].text == "Tổng cộng"
    signer = word.tables[1].rows[0].cells[1].text
    assert signer.split("\n")[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert signer.strip().endswith("Nguyễn Văn Định")
    recipients = word.tables[1].rows[0].cells[0].text.split("\n")
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu Văn phòng Đảng ủy."
    plan.status = plan.Status.PUBLISHED
    plan.save(update_fields=["status"])
    word, _text, _cells = _read(client.get(reverse("criteria:plan_docx", args=[plan.pk])).content)
    header = word.tables[0].rows[0].cells
    assert "Số 98-KH/ĐU" in header[0].text
    assert "Quế Phú, ngày 31 tháng 7 năm 2023" in header[1].text and "DỰ THẢO" not in header[1].text


def test_the_report_as_word_draft_and_issued(world, finalized, login):  # noqa: F811
    client = login(world.users["leader"])
    response = client.get(_url(finalized, "docx"))
    word, text, cells = _read(response.content)
    assert "DỰ THẢO" in word.tables[0].rows[0].cells[1].text
    assert "BÁO CÁO" in text and "Có 1/2 tổ chức đăng ký" in text
    _issue(client, finalized)
    report = finalized.summary_reports.get()
    word, text, cells = _read(client.get(_url(finalized, "docx", report=report.pk)).content)
    assert "Số 01-BC/ĐU" in word.tables[0].rows[0].cells[0].text
    for sentence in (v for v in NARRATIVE.values() if v):
        assert sentence in text
    assert f"ngày {datetime.date.today():%d}" in word.tables[0].rows[0].cells[1].text
    assert "Chi bộ thôn Phú Lộc" in cells  # the appendix table, one row per organization
    assert word.sections[-1].page_width > word.sections[-1].page_height  # landscape appendix

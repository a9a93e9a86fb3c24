import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from criteria.models import Indicator
from criteria.selectors import plan_document
from rendering.pdf import ForbiddenResource, SafeURLFetcher, render_pdf
from tests.pdf import fonts, pages_text, text
from vietnamese.dates import date_line


def test_plan_pdf_reads_back_in_the_party_format(world, plan, login):
    response = login(world.users["secretary_own"]).get(reverse("criteria:plan_pdf", args=[plan.pk]))
    assert response.status_code == 404  # a draft is not visible to a branch yet
    response = login(world.users["staff"]).get(reverse("criteria:plan_pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Ke-hoach-98-KH-%C4%90U.pdf" in response["Content-Disposition"]
    # A draft is neither numbered nor dated: the number is left for the register, the date
    # "ngày … tháng … năm …", and it carries the DỰ THẢO mark.
    draft = text(response.content)
    assert "Số -KH/ĐU" in draft and "Quế Phú, ngày … tháng … năm …" in draft
    assert "DỰ THẢO" in draft and "98-KH" not in draft
    plan.status = plan.Status.PUBLISHED
    plan.save(update_fields=["status"])
    response = login(world.users["staff"]).get(reverse("criteria:plan_pdf", args=[plan.pk]))
    content = response.content
    body = text(content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in body and "DỰ THẢO" not in body
    assert "Số 98-KH/ĐU" in body
    assert "Quế Phú, ngày 31 tháng 7 năm 2023" in body
    assert "ĐẢNG BỘ HUYỆN QUẾ SƠN" in body and "ĐẢNG ỦY XÃ QUẾ PHÚ" in body
    assert "KẾ HOẠCH" in body and "T/M BAN THƯỜNG VỤ" in body and "Nguyễn Văn Định" in body
    assert "T/M BAN THƯỜNG VỤ BÍ THƯ" in body and body.count("Nguyễn Văn Định") == 1
    assert "Nơi nhận:" in body and "- Ban Thường vụ Huyện ủy Quế Sơn (b/c)," in body
    assert body.index("- Lưu Văn phòng Đảng ủy.") > body.index("Ban Thường vụ Huyện ủy Quế Sơn")
    assert "trước ngày 15/8/2023" in body  # dates cited the way offices write them
    # The text keeps ordinary spaces (no no-break space in place of the space glyph): a reader's
    # search for "KẾ HOẠCH" finds it.
    raw = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "\xa0" not in raw and "KẾ HOẠCH" in raw and "ĐẢNG ỦY XÃ QUẾ PHÚ" in raw
    for name in [
        "Lãnh đạo hoàn thành tốt nhiệm vụ",
        "Chất lượng sinh hoạt tốt",
        "Đoàn kết, kỷ luật tốt",
        "Đảng viên tốt",
    ]:
        assert name in body
    for indicator in Indicator.objects.filter(criterion__plan=plan):
        assert indicator.text[:40] in body


def test_plan_pdf_embeds_its_fonts(plan):
    content = render_pdf(
        "criteria/pdf/plan.html", {"doc": plan_document(plan)}, filename="x.pdf"
    ).content
    used = fonts(content)
    assert used and all(used.values()), used
    assert all("Tinos" in name for name in used)


def test_a_long_criteria_table_breaks_across_pages_cleanly(plan):
    criterion = plan.criteria.get(order=2)
    texts = [
        f"Chỉ tiêu kiểm tra ngắt trang số {n:02d}: duy trì sinh hoạt chi bộ đều đặn, nền nếp, có chất lượng, đổi mới nội dung."
        for n in range(60)
    ]
    Indicator.objects.bulk_create(
        Indicator(
            criterion=criterion,
            order=100 + n,
            text=t,
            points=Decimal("0.1"),
            guide="Đạt: 0,1 điểm.",
        )
        for n, t in enumerate(texts)
    )
    content = render_pdf(
        "criteria/pdf/plan.html", {"doc": plan_document(plan)}, filename="x.pdf"
    ).content
    pages = pages_text(content)
    table_pages = [p for p in pages if "Chỉ tiêu kiểm tra ngắt trang" in p]
    assert len(table_pages) >= 3
    # The header row repeats on every page of the table, and no row is cut between two pages.
    for page in table_pages:
        assert "STT Tiêu chí, chỉ tiêu Điểm Mức phấn đấu Minh chứng" in page
    for t in texts:
        assert sum(t in page for page in pages) == 1, t
    # Page numbers from page 2 on (pypdf reads the top-centre number last), none on page 1.
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f" {number}"), page[-30:]
    assert not pages[0].endswith(" 1")


def test_date_line_follows_the_party_format():
    import datetime

    assert date_line("Quế Phú", datetime.date(2023, 7, 31)) == "Quế Phú, ngày 31 tháng 7 năm 2023"
    assert (
        date_line("Vĩnh Phúc", datetime.date(2024, 1, 5)) == "Vĩnh Phúc, ngày 05 tháng 01 năm 2024"
    )
    assert date_line("Hà Nội", datetime.date(2024, 12, 1)) == "Hà Nội, ngày 01 tháng 12 năm 2024"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x.png",
        "https://example.com/font.ttf",
        "file:///etc/passwd",
        "ftp://example.com/x",
    ],
)
def test_the_fetcher_refuses_network_and_outside_files(url):
    with pytest.raises((ForbiddenResource, ValueError)):
        SafeURLFetcher().fetch(url)


def test_the_fetcher_serves_the_app_font():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    path = Path(finders.find("vendor/tinos/400Regular/Tinos_400Regular.ttf")).resolve()
    response = SafeURLFetcher().fetch(path.as_uri())
    assert response is not None


def test_a_document_with_an_outside_image_fails_instead_of_leaking(tmp_path, settings):
    from weasyprint import HTML

    with pytest.raises(ForbiddenResource):
        HTML(string='<img src="file:///etc/hostname">', url_fetcher=SafeURLFetcher()).write_pdf()


def test_criteria_table_to_excel(world, plan, login):
    response = login(world.users["staff"]).get(reverse("criteria:plan_xlsx", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["STT", "Tiêu chí, chỉ tiêu", "Điểm"]
    assert rows[1][:3] == ["1", "Lãnh đạo hoàn thành tốt nhiệm vụ", 30]
    assert rows[-1][1:3] == ["Tổng cộng", 100]
    assert any(r[0] == "2.1" and r[4] == 12 for r in rows)

"""The year of a branch in a real browser, against the real server and the demo data.

Committee staff set up a plan from the standard template and publish it; the secretary of
Chi bộ thôn Phú Lộc, on a phone, registers, fills and signs the pledge (drawing the signature),
logs a meeting, uploads evidence and submits the self-assessment; the committee's leader
countersigns the pledge, assesses, finalizes and downloads the summary report as a PDF.
Every main page on the way is screenshotted and checked with axe-core.

The tests run in file order and share what they create (the plan, the branch's year)."""

import datetime
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from weasyprint import HTML

from tests.e2e.helpers import (
    BRANCH,
    PASSWORD,
    PHONE,
    check_page,
    download,
    login,
    new_page,
    pdf_text,
    status,
)

SECRETARY = ("bithu.quephu01", "Phạm Văn Tài")
COMMITMENT = (
    "Lãnh đạo chi bộ hoàn thành 100% chỉ tiêu nghị quyết năm, không để phát sinh điểm nóng."
)
MEETING_TOPIC = "Sinh hoạt thường kỳ: kiểm điểm nhiệm vụ tháng, triển khai phòng chống bão"

journey: dict = {}


def _pdf(text: str) -> bytes:
    return HTML(string=f"<h1>{text}</h1><p>Biên bản của chi bộ.</p>").write_pdf()


def _photo() -> bytes:
    """A phone photo of the paper minutes."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (240, 236, 220)).save(out, "JPEG")
    return out.getvalue()


def test_staff_sets_up_a_plan_from_the_template_and_publishes_it(published_plan, page: Page):
    login(page, "canbo.quephu")
    page.goto(published_plan["url"])
    expect(page.get_by_role("link", name="Đăng ký và cam kết")).to_be_visible()
    name, data = download(page, page.get_by_role("link", name="Tải PDF"))
    text = pdf_text(data)
    assert name.endswith(".pdf")
    assert published_plan["number"] in text and "KẾ HOẠCH" in text
    assert "Chi bộ thôn Phú Lộc" in text and "Nguyễn Văn Định" in text
    page.get_by_role("link", name="Đăng ký và cam kết").click()
    check_page(page, "registration-list-empty")
    expect(page.locator("main")).to_contain_text("0/2")


def _draw_signature(page: Page) -> None:
    canvas = page.locator("canvas.signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(x + step * 12, y + (12 if step % 2 else -12))
    page.mouse.up()


def _sign(page: Page, full_name: str, button: str) -> None:
    page.get_by_label("Gõ họ và tên của đồng chí").fill(full_name)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Tôi đã đọc toàn bộ").check()
    page.get_by_role("button", name=button).click()


def test_secretary_on_a_phone_registers_signs_logs_a_meeting_and_submits(
    published_plan, browser, browser_context_args
):
    number = published_plan["number"]
    page = new_page(browser, browser_context_args, **PHONE)
    username, full_name = SECRETARY
    login(page, username)
    check_page(page, "secretary-home")

    # Register from the to-do list.
    page.get_by_role("link", name=f"Đăng ký xây dựng mô hình — Kế hoạch {number}").click()
    check_page(page, "register")
    page.get_by_role("button", name="Đăng ký").click()
    expect(status(page)).to_contain_text(f"{BRANCH} đã đăng ký xây dựng mô hình.")
    pledge_url = page.url

    # Fill the pledge.
    page.get_by_role("link", name="Nhập mức cam kết").click()
    page.get_by_role("textbox", name=re.compile(r"^2\.1\. ")).fill("12")
    page.get_by_label("Cam kết của chi bộ về tiêu chí này").first.fill(COMMITMENT)
    check_page(page, "pledge-edit")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page).to_have_url(pledge_url)

    # Sign: a careless first try is refused field by field, then the real signature.
    page.get_by_role("link", name="Ký cam kết").click()
    check_page(page, "pledge-sign")
    page.get_by_label("Nhập lại mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Ký cam kết").click()
    expect(page.get_by_label("Nhập lại mật khẩu")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main")).to_contain_text("Mật khẩu không đúng.")
    expect(page.locator("main")).to_contain_text("Hãy đánh dấu xác nhận trước khi ký.")
    check_page(page, "pledge-sign-errors")
    drawing = page.locator("input[name=drawing]")
    _draw_signature(page)
    expect(drawing).to_have_value(re.compile(r"^data:image/png;base64,"))
    page.get_by_role("button", name="Xóa hình vẽ").click()
    expect(drawing).to_have_value("")
    _draw_signature(page)
    expect(drawing).to_have_value(re.compile(r"^data:image/png;base64,"))
    _sign(page, full_name, "Ký cam kết")
    expect(status(page)).to_contain_text("Đã ký bản cam kết. Mã xác minh:")
    expect(page.locator("main")).to_contain_text(f"{full_name} — Bí thư chi bộ")
    check_page(page, "pledge-signed")
    _name, data = download(page, page.get_by_role("link", name="Tải PDF đã ký"))
    text = pdf_text(data)
    assert "BẢN CAM KẾT" in text and BRANCH in text and full_name in text
    assert "Lãnh đạo chi bộ hoàn thành 100%" in text and "Mã xác minh:" in text
    assert PASSWORD not in text
    assert any(p.images for p in PdfReader(io.BytesIO(data)).pages)  # the drawn signature

    # Log this month's meeting, with a photo of the minutes and one excused absence.
    page.goto("/")
    page.get_by_role("link", name=re.compile("Ghi sổ sinh hoạt chi bộ")).click()
    page.get_by_label("Loại").select_option(label="Thường kỳ")
    page.get_by_label("Thời gian họp (phút)").fill("120")
    page.get_by_label("Nội dung").fill(MEETING_TOPIC)
    page.get_by_label("Biên bản (PDF, ảnh hoặc .docx)").set_input_files(
        {"name": "bien-ban.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    page.get_by_role("radio", name="Vắng có lý do").first.check()
    check_page(page, "meeting-form")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text(MEETING_TOPIC)
    check_page(page, "meeting-list")

    # Open the year's self-assessment and upload the evidence it requires.
    page.goto(published_plan["url"])
    page.get_by_role("link", name="Sơ kết, tổng kết").click()
    check_page(page, "plan-reviews-secretary")
    page.get_by_role("button", name=re.compile("Bắt đầu tự đánh giá")).click()
    review_url = page.url
    check_page(page, "review-draft")
    required = [
        code.strip()
        for code in page.locator("tr", has_text="Bắt buộc có minh chứng")
        .locator("td:first-child")
        .all_inner_texts()
    ]
    assert required, "the standard template requires evidence for some indicators"
    page.get_by_role("link", name="Minh chứng").click()
    for code in required:
        select = page.get_by_label("Chỉ tiêu")
        option = select.locator("option", has_text=re.compile(rf"^\s*{re.escape(code)}\. "))
        select.select_option(option.get_attribute("value"))
        page.get_by_label("Tệp (PDF, ảnh, Word, Excel)").set_input_files(
            {"name": f"minh-chung-{code}.pdf", "mimeType": "application/pdf", "buffer": _pdf(code)}
        )
        page.get_by_label("Ghi chú").fill(f"Minh chứng chỉ tiêu {code}")
        page.get_by_role("button", name="Tải lên").click()
        expect(page.locator("main table")).to_contain_text(f"Minh chứng chỉ tiêu {code}")
    check_page(page, "evidence-list")

    # Score every indicator, link the evidence, save, then sign and submit.
    page.goto(review_url)
    page.get_by_role("link", name="Tự chấm điểm").click()
    form = page.locator("main form")
    for select in form.locator("select[name^=achieved_]").all():
        select.select_option("1")
    for field in form.locator("input[name^=achieved_]").all():
        field.fill("100" if "%" in field.evaluate("e => e.labels[0].innerText") else "1")
    for field in form.locator("input[name^=score_]").all():
        if not field.input_value():  # the indicator's full points, from its label "(tối đa 7,5)"
            label = field.evaluate("e => e.labels[0].innerText")
            field.fill(re.search(r"tối đa ([\d,]+)", label).group(1))
    for box in form.locator("input[type=checkbox][name^=evidence_]").all():
        box.check()
    check_page(page, "review-self")
    page.get_by_role("button", name="Lưu").click()
    expect(status(page)).to_be_visible()
    page.goto(review_url)
    page.get_by_role("link", name="Ký và nộp").click()
    check_page(page, "review-sign")
    _sign(page, full_name, re.compile("Ký"))
    expect(status(page)).to_contain_text("Mã xác minh")
    check_page(page, "review-submitted")
    journey.update(pledge_url=pledge_url, review_url=review_url)
    page.context.close()


def test_leader_accepts_assesses_finalizes_and_downloads_the_summary(
    published_plan, browser, browser_context_args
):
    if "review_url" not in journey:
        pytest.skip("needs the secretary's journey above (run the whole module)")
    page = new_page(browser, browser_context_args)
    login(page, "lanhdao.quephu")
    check_page(page, "leader-home")
    leader_name = page.locator("header .dropdown-toggle").inner_text().strip()

    # Countersign the pledge.
    page.goto(journey["pledge_url"])
    check_page(page, "pledge-to-accept")
    page.get_by_role("link", name="Xác nhận (ký)").click()
    check_page(page, "pledge-accept")
    _sign(page, leader_name, "Ký xác nhận")
    expect(status(page)).to_contain_text("Đã xác nhận bản cam kết.")
    expect(page.locator("main")).to_contain_text("Cấp ủy đã xác nhận")
    expect(page.locator("main")).to_contain_text(f"{leader_name} — ")

    # Assess the submitted self-assessment: one indicator marked down, with a comment.
    page.goto(journey["review_url"])
    check_page(page, "review-to-assess")
    page.get_by_role("link", name="Thẩm định", exact=True).click()
    first_score = page.get_by_role("textbox", name="Điểm thẩm định").first
    lowered = float(first_score.input_value().replace(",", ".")) - 1
    first_score.fill(f"{lowered:g}".replace(".", ","))  # typed the Vietnamese way
    page.get_by_label("Nhận xét").first.fill("Nghị quyết chuyên đề ban hành chậm một tháng.")
    check_page(page, "review-assess")
    page.get_by_role("button", name="Lưu thẩm định").click()
    expect(status(page)).to_contain_text("Đã lưu phần thẩm định.")

    # Finalize: the members are rated first (366 Điều 12), then look at the result and lock it.
    page.goto(journey["review_url"])
    page.get_by_role("link", name="Chốt kết quả", exact=True).click()
    expect(page.locator("main")).to_contain_text("đảng viên chưa có quyết định xếp loại")
    finalize_url = page.url
    page.get_by_role("link", name="Xếp loại đảng viên", exact=True).click()
    for select in page.locator("main form select").all():
        select.select_option("good")
    check_page(page, "member-ratings")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(status(page)).to_contain_text("Đã lưu")
    # The branch's quality rating, apart from the model: appraised, then decided (366 Điều 12).
    page.get_by_role("link", name=BRANCH).first.click()
    page.get_by_role("link", name="Xếp loại chất lượng tổ chức").click()
    page.get_by_label("Nhóm tiêu chí chung (30)").fill("27")
    page.get_by_label("Nhóm tiêu chí về kết quả thực hiện nhiệm vụ (70)").fill("61.5")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("main")).to_contain_text("88,5/100 điểm")
    page.get_by_role("combobox", name="Quyết định xếp loại").select_option("good")
    check_page(page, "organization-rating")
    page.get_by_role("button", name="Quyết định", exact=True).click()
    expect(status(page)).to_contain_text("Đã lưu")
    expect(page.locator("main dl")).to_contain_text("Hoàn thành tốt nhiệm vụ")
    page.goto(finalize_url)
    expect(page.locator("main")).not_to_contain_text("đảng viên chưa có quyết định xếp loại")
    # The model's result only; the quality rating is the one decided above.
    preview = page.locator("main .border.rounded")
    expect(preview).to_contain_text("không phải xếp loại chất lượng")
    model_reason = preview.locator("p b").first.inner_text()
    level = "Hoàn thành tốt nhiệm vụ"
    check_page(page, "review-finalize")
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message))
    page.get_by_role("button", name="Chốt kết quả", exact=True).click()
    expect(status(page)).to_contain_text("Đã chốt kết quả.")
    assert questions == ["Chốt kết quả? Sau khi chốt không sửa được."]  # asked once, then accepted
    expect(page.locator("main")).to_contain_text(model_reason)
    check_page(page, "review-finalized")

    # The summary report, as a PDF read back. The plan's year is done now (its one registered
    # branch is finalized): the start page opens on the year still in progress, and the plan's
    # year is one click away in the year switcher.
    page.goto("/")
    page.get_by_role("navigation", name="Chọn năm").get_by_role(
        "link", name=str(published_plan["year"])
    ).click()
    page.get_by_role("link", name="Báo cáo", exact=True).first.click()
    check_page(page, "summary")
    _name, data = download(page, page.get_by_role("link", name="PDF", exact=True))
    text = pdf_text(data)
    assert f"Kế hoạch số {published_plan['number']}" in text
    assert "Cấp ủy đã quyết định kết quả: 1" in text and "chốt" not in text.lower()
    row = re.search(
        rf"{BRANCH} ([\d,]+) ([\d,]+) ([\d,]+) ([\d,]+) ([\d,]+) ([\d,]+) (Đạt|Chưa) (.+)", text
    )
    assert row, text
    self_total, total = (float(row.group(i).replace(",", ".")) for i in (5, 6))
    assert round(self_total - total, 2) == 1  # the point the leader took off
    assert row.group(8).strip() == level
    page.context.close()


def test_a_member_reads_their_own_records_on_a_phone(browser, browser_context_args):
    """A member of Chi bộ Tổng hợp logs in on a phone and sees their own records: the 2022 rating
    the committee decided, their attendance, the branch's plan."""
    page = new_page(browser, browser_context_args, **PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("dv.dinhhuutrung.01")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    page.get_by_role("link", name="2022", exact=True).click()
    rating = page.locator(
        "section", has=page.get_by_role("heading", name="Xếp loại chất lượng năm 2022")
    )
    expect(rating).to_contain_text("Cấp ủy quyết định")
    expect(rating).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    expect(page.locator("main")).to_contain_text("Dự sinh hoạt chi bộ năm 2022")
    check_page(page, "member-records")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    _name, data = download(page, page.get_by_role("link", name="Kế hoạch số 09-KH/ĐU"))
    assert "KẾ HOẠCH" in pdf_text(data)
    page.context.close()


def _member_file(name: str, card: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Số thẻ đảng viên",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Đảng viên",
            "Mã chi bộ",
        ]
    )
    sheet.append(
        [name, "Nữ", "15/03/1985", card, "19/05/2010", "19/05/2011", "Chính thức", "QS.QP.01"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_member_gets_an_account_and_signs_their_self_review_on_a_phone(
    browser, browser_context_args
):
    """Quế Phú's staff open the year's round of self-reviews and import a new member of Chi bộ
    thôn Phú Lộc with an account; she logs in on a phone with the temporary password, chooses
    her own, writes her self-review (Mẫu 2C), sees the exact document and signs it; the branch's
    secretary, on a phone too, records the branch's vote, which she then reads."""
    year = datetime.date.today().year
    deadline = (datetime.date.today() + datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    staff = new_page(browser, browser_context_args)
    login(staff, "canbo.quephu")
    staff.goto("/organizations/")
    staff.get_by_role("link", name="Đảng bộ xã Quế Phú").first.click()
    staff.get_by_role("link", name="Kiểm điểm, tự đánh giá đảng viên").click()
    staff.get_by_label("Hạn nộp bản tự kiểm điểm").fill(deadline)
    staff.get_by_role("button", name="Mở đợt").click()
    expect(status(staff)).to_contain_text(f"Đã mở đợt kiểm điểm năm {year}")
    check_page(staff, "review-round")

    staff.goto("/import/members/")
    staff.locator("input[type=file]").set_input_files(
        {
            "name": "dang-vien-moi.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _member_file("Hồ Thị Mai Lan", "49019999"),
        }
    )
    staff.get_by_role("button", name="Kiểm tra tệp").click()
    staff.get_by_label("Tạo luôn tài khoản cho các đảng viên vừa nhập").check()
    staff.get_by_role("button", name="Xác nhận nhập").click()
    expect(staff.locator("main")).to_contain_text("Mật khẩu tạm chỉ hiện một lần.")
    check_page(staff, "member-accounts")
    row = staff.locator("main table tbody tr").first
    name, _branch, username, temporary = (row.locator("td").nth(i).inner_text() for i in range(4))
    assert name == "Hồ Thị Mai Lan"
    staff.context.close()

    page = new_page(browser, browser_context_args, **PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(temporary)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/change/"))
    expect(page.locator("main")).to_contain_text("Tài khoản đang dùng mật khẩu tạm")
    check_page(page, "member-first-password")
    page.locator("#id_old_password").fill(temporary)
    page.locator("#id_new_password1").fill("Mai-Lan-Phu-Loc-2026")
    page.locator("#id_new_password2").fill("Mai-Lan-Phu-Loc-2026")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    rounds = page.locator(
        "section", has=page.get_by_role("heading", name="Kiểm điểm, tự đánh giá, xếp loại")
    )
    expect(rounds).to_contain_text(f"Năm {year}")
    check_page(page, "member-records-round")
    rounds.locator("li", has_text=f"Năm {year}").get_by_role(
        "button", name="Viết bản tự kiểm điểm"
    ).click()
    check_page(page, "self-review-edit")
    page.get_by_label("Mẫu 2C").check()
    for label, text in [
        (
            "1. Về phẩm chất chính trị",
            "Giữ vững lập trường chính trị, chấp hành nghiêm chủ trương của Đảng.",
        ),
        (
            "2. Việc thực hiện quyền và nghĩa vụ",
            "Dự đủ các kỳ sinh hoạt; vận động bà con làm đường.",
        ),
        ("3. Việc thực hiện cam kết", "Thực hiện đúng bản cam kết năm nay."),
        ("1. Hạn chế, khuyết điểm.", "Có lúc chưa mạnh dạn góp ý."),
        ("2. Nguyên nhân", "Chưa chuẩn bị kỹ ý kiến."),
    ]:
        page.get_by_label(label).fill(text)
    page.locator("#id_section_fixes").fill("Năm trước chưa có hạn chế được chỉ ra.")
    page.locator("#id_section_remedies").fill("Chuẩn bị ý kiến trước mỗi kỳ sinh hoạt.")
    page.get_by_label("Nhóm tiêu chí chung").fill("27")
    page.get_by_label("Nhóm tiêu chí về kết quả thực hiện nhiệm vụ").fill("60")
    page.get_by_label("Tự nhận mức xếp loại chất lượng").select_option(
        label="Hoàn thành tốt nhiệm vụ"
    )
    page.get_by_role("button", name="Lưu rồi xem và ký").click()
    check_page(page, "self-review-sign")
    preview = page.frame_locator("iframe.sign-preview")
    expect(preview.locator("body")).to_contain_text("BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN")
    expect(preview.locator("body")).to_contain_text("Dự đủ các kỳ sinh hoạt")
    page.get_by_label("Gõ họ và tên của đồng chí").fill("Hồ Thị Mai Lan")
    page.get_by_label("Nhập lại mật khẩu").fill("Mai-Lan-Phu-Loc-2026")
    page.get_by_label("Tôi đã đọc toàn bộ").check()
    page.get_by_role("button", name="Ký và nộp").click()
    expect(status(page)).to_contain_text("Đã ký và nộp bản tự kiểm điểm")
    expect(page.locator("main")).to_contain_text("Đã ký, nộp chi bộ")
    check_page(page, "self-review-signed")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    _name, data = download(page, page.get_by_role("link", name="Tải PDF"))
    text = pdf_text(data)
    assert "Hồ Thị Mai Lan" in text and "Mã xác minh" in text and "87" in text
    review_url = page.url

    secretary = new_page(browser, browser_context_args, **PHONE)
    login(secretary, "bithu.quephu01")
    secretary.goto(review_url)
    secretary.get_by_role("link", name="Cả chi bộ").click()
    check_page(secretary, "round-branch")
    member = secretary.locator("li", has_text="Hồ Thị Mai Lan")
    expect(member).to_contain_text("Đã ký, chờ chi bộ biểu quyết")
    member.get_by_role("link", name="Ghi kết quả biểu quyết").click()
    check_page(secretary, "self-review-vote")
    secretary.locator("#id_present").fill("20")
    secretary.locator("#id_vote_good").fill("12")
    secretary.locator("#id_vote_completed").fill("7")
    secretary.get_by_role("button", name="Ghi kết quả").click()
    # 12 + 7 = 19 of 20 ballots: refused, and what was typed is kept.
    expect(secretary.locator("main")).to_contain_text("Số phiếu không khớp")
    expect(secretary.locator("#id_vote_good")).to_have_value("12")
    secretary.locator("#id_vote_invalid").fill("1")
    secretary.get_by_role("button", name="Ghi kết quả").click()
    expect(status(secretary)).to_contain_text("Đã ghi kết quả biểu quyết của chi bộ.")
    secretary.context.close()

    page.reload()
    expect(page.locator("main")).to_contain_text("Chi bộ đề xuất: Hoàn thành tốt nhiệm vụ")
    page.context.close()

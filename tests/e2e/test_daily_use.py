"""Daily use in a real browser, on the demo (issue 19): every role starts from the start page and
reaches each item of its work queue by clicking; no main page is wider than a 360 px phone.

The demo's data is of 2022–2023 while the calendar is later: the start pages open on the plan
years still in progress, and the queues hold their work."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PHONE, check_page, login, new_page, status

NARROW = {**PHONE, "viewport": {"width": 360, "height": 740}}


def _queue_links(page: Page) -> list[tuple[str, str]]:
    """(text, href) of every item's title on the queue page."""
    return page.locator("ul.worklist li a.fw-semibold").evaluate_all(
        "links => links.map(a => [a.innerText.trim(), a.getAttribute('href')])"
    )


def _open_queue_from_home(page: Page) -> None:
    page.goto("/")  # a member's account lands on "Hồ sơ của tôi"
    expect(page.locator("main h1").first).to_be_visible()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    toggler = nav.get_by_role("button", name="Mở menu")
    if toggler.is_visible():  # a phone: the menu is folded
        toggler.click()
    nav.get_by_role("link", name=re.compile(r"^Việc cần làm")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc cần làm")


def _walk_the_queue(page: Page, name: str, *, downloads: tuple[str, ...] = ()) -> list[str]:
    """From the start page to the queue, then to each item by clicking its link; returns the
    items' texts. Each item must open a page of the app (no error page) at the item's address."""
    _open_queue_from_home(page)
    check_page(page, f"queue-{name}")
    items = _queue_links(page)
    assert items, f"{name}: the queue is empty"
    for text, href in items:
        _open_queue_from_home(page)
        link = page.locator(f'ul.worklist li a.fw-semibold[href="{href}"]').first
        if any(text.startswith(prefix) for prefix in downloads):
            with page.expect_download() as info:
                link.click()
            assert info.value.suggested_filename.endswith(".pdf"), text
            continue
        link.click()
        expect(page.locator("main h1").first).to_be_visible()
        assert urlsplit(page.url).path == urlsplit(href).path, (text, page.url, href)
        heading = page.locator("main h1").first.inner_text()
        assert heading not in ("Không tìm thấy trang", "Tài khoản không có quyền làm việc này")
    return [text for text, _href in items]


def test_the_leader_reaches_every_countersignature_assessment_and_finalization(
    browser, browser_context_args
):
    page = new_page(browser, browser_context_args)
    login(page, "lanhdao.quephu")
    # Not the calendar's empty year: 2023 is in progress (and, once the journeys have made one,
    # the new plan's year too).
    switcher = page.get_by_role("navigation", name="Chọn năm")
    expect(switcher.get_by_role("link", name=re.compile(r"^2023 .*đang thực hiện"))).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("không có kế hoạch nào")
    texts = _walk_the_queue(page, "leader")
    assert "Chi bộ Quân sự xã — lần 1" in texts
    # The countersignature is one click from the queue, with its button.
    _open_queue_from_home(page)
    page.get_by_role("link", name="Chi bộ Quân sự xã — lần 1").click()
    expect(page.get_by_role("link", name="Xác nhận (ký)")).to_be_visible()
    expect(page.get_by_role("link", name="Trả lại để sửa")).to_be_visible()
    page.context.close()


def test_staff_remind_and_extend_late_work_from_the_queue(browser, browser_context_args):
    page = new_page(browser, browser_context_args)
    login(page, "canbo.quephu")
    texts = _walk_the_queue(page, "staff")
    assert "Chi bộ Trạm Y tế xã — Chưa ký cam kết" in texts
    item = page.locator("ul.worklist li", has_text="Chi bộ Trạm Y tế xã — Chưa ký cam kết")
    _open_queue_from_home(page)
    item.get_by_role("button", name=re.compile("^Nhắc ngay")).click()
    expect(status(page)).to_contain_text("Đã gửi thư nhắc đến bí thư: Chi bộ Trạm Y tế xã.")
    item.get_by_role("link", name=re.compile("^Gia hạn")).click()
    expect(page.get_by_role("combobox", name=re.compile(r"^Hạn"))).to_have_value("signing")
    page.get_by_label("Gia hạn đến ngày").fill("31/12/2099")
    page.get_by_label("Lý do").fill("Chi bộ mới kiện toàn bí thư")
    check_page(page, "extend-from-queue")
    page.get_by_role("button", name="Lưu").click()
    expect(status(page)).to_contain_text("Đã gia hạn cho Chi bộ Trạm Y tế xã.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc cần làm")  # back where it was
    expect(page.locator("main")).not_to_contain_text("Chi bộ Trạm Y tế xã — Chưa ký cam kết")
    page.context.close()


def test_secretaries_on_a_phone_reach_their_next_steps(browser, browser_context_args):
    page = new_page(browser, browser_context_args, **PHONE)
    login(page, "bithu.quephu12")
    texts = _walk_the_queue(page, "secretary-returned")
    assert "Sửa và ký lại bản cam kết — Kế hoạch 98-KH/ĐU" in texts
    _open_queue_from_home(page)
    page.get_by_role("link", name="Sửa và ký lại bản cam kết — Kế hoạch 98-KH/ĐU").click()
    expect(page.locator("main")).to_contain_text("Bản này sửa lại lần 1, cấp ủy trả lại vì:")
    # The deadline has passed: said before anything is typed, with who can extend it.
    expect(page.locator("main .deadline")).to_contain_text("Đã quá hạn ký cam kết")
    expect(page.get_by_role("link", name="Ký cam kết")).to_have_count(0)
    check_page(page, "pledge-late-amendment")
    page.context.close()

    page = new_page(browser, browser_context_args, **PHONE)
    login(page, "bithu.quephu08")
    texts = _walk_the_queue(page, "secretary-review")
    assert any(t.startswith("Hoàn thành và nộp bản tự đánh giá sơ kết năm 2023") for t in texts)
    page.context.close()


def test_the_official_reaches_what_is_late_in_the_district(browser, browser_context_args):
    page = new_page(browser, browser_context_args)
    login(page, "theodoi.queson")
    texts = _walk_the_queue(page, "official")
    assert any(t.startswith("Chi bộ Cơ quan Đảng – Chính quyền – Mặt trận") for t in texts)
    # The roll-up of 2023: down to the commune and its branches, and back up.
    page.goto("/")
    page.get_by_role("navigation", name="Chọn năm").get_by_role(
        "link", name=re.compile(r"^2023")
    ).click()
    rollup = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Tổng hợp theo đơn vị"))
    )
    rollup.get_by_role("link", name="Đảng bộ xã Quế Phú").click()
    expect(page.locator("main table.rollup")).to_contain_text("Chi bộ thôn Phú Lộc")
    expect(page.locator("main table.rollup tfoot")).to_contain_text("15")
    page.get_by_role("navigation", name="Đơn vị cấp trên").get_by_role(
        "link", name="Đảng bộ huyện Quế Sơn"
    ).click()
    expect(page.locator("main table.rollup")).to_contain_text("Đảng bộ xã Quế Phú")
    page.context.close()


def test_a_member_on_a_phone_reaches_the_documents_to_read(browser, browser_context_args):
    page = new_page(browser, browser_context_args, **PHONE)
    login_member(page, "dv.dinhhuutrung.01")
    texts = _walk_the_queue(page, "member", downloads=("Kế hoạch số",))
    assert any(t.startswith("Kế hoạch số 09-KH/ĐU") for t in texts)
    page.context.close()


def login_member(page: Page, username: str) -> None:
    """A member's account opens on "Hồ sơ của tôi", not the greeting."""
    from tests.e2e.helpers import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")


# -- No page wider than a phone ----------------------------------------------------------------

# Not pages: files, redirects and actions (they are reached by other tests).
NOT_PAGES = re.compile(
    r"(pdf|xlsx|docx|certificates|export|file|minutes|download|template|preview|logout"
    r"|set_language|current_pledge"
    r"|remind|retry|publish|close|delete|revoke|set_active|issue|decide|discard|open|healthz"
    r"|livez|robots|^admin:)"
)


def _view_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _crawl(page: Page, starts: list[str], *, limit: int = 45) -> dict[str, tuple[str, int]]:
    """Visit one address per URL pattern reachable from `starts` by the links in the pages'
    main parts; returns {pattern: (address, page width)}."""
    seen: dict[str, tuple[str, int]] = {}
    queue = list(starts)
    done = set()
    while queue and len(seen) < limit:
        address = queue.pop(0)
        path = urlsplit(address).path
        name = _view_name(path)
        if name is None or name in seen or address in done or NOT_PAGES.search(name):
            continue
        if re.search(r"\.(pdf|xlsx|docx)$", path):
            continue
        done.add(address)
        response = page.goto(address)
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        seen[name] = (address, width)
        for href in page.locator("main a[href]").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        ):
            if href.startswith(("/", "?")) and not href.startswith("//"):
                queue.append(urljoin(page.url, href))
    return seen


@pytest.mark.parametrize(
    ("username", "starts"),
    [
        ("canbo.quephu", ["/", "/todo/", "/plans/", "/organizations/", "/members/", "/roles/"]),
        ("lanhdao.quephu", ["/", "/todo/", "/plans/"]),
        ("bithu.quephu01", ["/", "/todo/", "/plans/"]),
        ("theodoi.queson", ["/", "/todo/"]),
        ("lanhdao.vpvp", ["/?year=2022", "/plans/", "/organizations/"]),
        ("dv.dinhhuutrung.01", ["/me/?year=2022", "/todo/"]),
        (None, ["/accounts/login/", "/verify/", "/accounts/password/reset/"]),
    ],
    ids=["staff", "leader", "secretary", "official", "leader-2022", "member", "anonymous"],
)
def test_no_main_page_is_wider_than_a_phone(browser, browser_context_args, username, starts):
    """A 360 px screen: wide tables scroll inside their own box; the page itself never does."""
    page = new_page(browser, browser_context_args, **NARROW)
    if username == "dv.dinhhuutrung.01":
        login_member(page, username)
    elif username:
        login(page, username)
    visited = _crawl(page, starts)
    assert len(visited) >= (2 if username in (None, "dv.dinhhuutrung.01") else 4), visited
    too_wide = {name: found for name, found in visited.items() if found[1] > 360}
    assert not too_wide, f"pages wider than 360 px: {too_wide}"
    page.context.close()

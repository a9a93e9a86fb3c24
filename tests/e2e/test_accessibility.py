"""Accessibility in a real browser: axe-core on the main pages the journeys do not pass through
(those are checked on the way, see test_journeys.py), signing with the keyboard alone, labels on
every field, and form errors that are announced."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PASSWORD, PHONE, check_page, login, new_page, status

# (screenshot name, user or None, address, follow: link texts to click from there, in order)
PAGES = [
    ("login", None, "/accounts/login/", []),
    ("password-reset", None, "/accounts/password/reset/", []),
    ("verify-upload", None, "/verify/", []),
    ("official-home", "theodoi.queson", "/", []),
    ("organization-tree", "canbo.quephu", "/organizations/", []),
    ("organization-detail", "canbo.quephu", "/organizations/", ["Chi bộ thôn Phú Lộc"]),
    ("member-list", "canbo.quephu", "/members/", []),
    ("member-new", "canbo.quephu", "/members/new/", []),
    ("role-list", "canbo.quephu", "/roles/", []),
    ("import-members", "canbo.quephu", "/import/members/", []),
    ("password-change", "canbo.quephu", "/accounts/password/change/", []),
    ("leader-home-2023", "lanhdao.quephu", "/?year=2023", []),
    ("registrations-2023", "lanhdao.quephu", "/?year=2023", ["Đăng ký"]),
    ("reviews-2023", "lanhdao.quephu", "/?year=2023", ["Đánh giá"]),
    ("summary-2023", "lanhdao.quephu", "/?year=2023", ["Báo cáo"]),
    (
        "recognition-2022",
        "lanhdao.vpvp",
        "/plans/",
        ["09-KH/ĐU", "Sơ kết, tổng kết", "Công nhận, tiêu biểu"],
    ),
    ("branch-ratings", "bithu.tonghop", "/", ["Chi bộ Tổng hợp", "Xếp loại đảng viên"]),
    ("meeting-log", "bithu.tonghop", "/", ["Chi bộ Tổng hợp", "Sổ sinh hoạt chi bộ"]),
]


@pytest.fixture(scope="module")
def sessions():
    """Logged-in cookies per (user, device), so each person logs in once."""
    return {}


@pytest.mark.parametrize(
    ("name", "username", "address", "follow"), PAGES, ids=[p[0] for p in PAGES]
)
def test_main_page_has_no_serious_accessibility_violation(
    browser, browser_context_args, sessions, name, username, address, follow
):
    for device, extra in [("desktop", {}), ("phone", PHONE)]:
        if username:
            key = (username, device)
            if key not in sessions:
                page = new_page(browser, browser_context_args, **extra)
                login(page, username)
                sessions[key] = page.context.storage_state()
                page.context.close()
            extra = {**extra, "storage_state": sessions[key]}
        page = new_page(browser, browser_context_args, **extra)
        page.goto(address)
        for text in follow:
            link = page.locator("main").get_by_role("link", name=text, exact=True).first
            if not link.is_visible():  # a menu collapsed on the phone, a second page of a list
                link = page.locator("main").get_by_role("link", name=text).first
            link.click()
        expect(page.locator("main h1").first).to_be_visible()
        check_page(page, f"{name}-{device}")
        page.context.close()


def test_every_field_of_the_main_forms_has_a_label(published_plan, browser, browser_context_args):
    page = new_page(browser, browser_context_args)
    login(page, "canbo.quephu")
    for address in ["/plans/new/", f"{published_plan['url']}edit/", "/members/new/"]:
        page.goto(address)
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('main input, main select, main textarea')]
                .filter(e => e.type !== 'hidden' && !e.labels.length && !e.getAttribute('aria-label')
                             && !e.getAttribute('aria-labelledby'))
                .map(e => e.name)"""
        )
        assert unlabelled == [], f"{address}: {unlabelled}"


def _tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has the focus (the page's own order, nothing skipped)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never received the focus with Tab")


def _focused(page: Page) -> str:
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e.id || e.getAttribute('name') || e.textContent.trim(); })()"
    )


def test_signing_a_pledge_with_the_keyboard_alone(published_plan, browser, browser_context_args):
    """Chi bộ thôn Hương Mao's secretary signs without a pointer: Tab moves, the keys type."""
    page = new_page(browser, browser_context_args, **PHONE)
    login(page, "bithu.quephu02")
    full_name = page.get_by_role("heading", level=1).inner_text().removeprefix("Chào đồng chí ")
    page.get_by_role(
        "link", name=f"Đăng ký xây dựng mô hình — Kế hoạch {published_plan['number']}"
    ).click()
    page.get_by_role("button", name="Đăng ký").click()
    sign_link = page.get_by_role("link", name="Ký cam kết")
    sign_address = sign_link.get_attribute("href")

    page.goto(sign_address)
    _tab_to(page, "id_full_name")
    page.keyboard.type(full_name)
    page.keyboard.press("Tab")
    assert _focused(page) == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert _focused(page) == "Xóa hình vẽ"  # the drawing pad is skipped: it is optional
    page.keyboard.press("Tab")
    assert _focused(page) == "id_consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused(page) == "Ký cam kết"
    page.keyboard.press("Enter")

    expect(status(page)).to_contain_text("Đã ký bản cam kết. Mã xác minh:")
    expect(page.locator("main")).to_contain_text(f"{full_name} — Bí thư chi bộ")
    check_page(page, "pledge-signed-by-keyboard")
    page.context.close()


def test_form_errors_are_announced_and_lead_to_the_fields(
    published_plan, browser, browser_context_args
):
    page = new_page(browser, browser_context_args)
    login(page, "canbo.quephu")
    page.goto("/plans/new/")
    page.get_by_label("Hạn đăng ký").fill("")
    page.get_by_label("Hạn tổng kết").fill("31/02/2026")
    page.get_by_role("button", name="Tạo dự thảo").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()  # read out at once
    expect(summary.get_by_role("link", name=re.compile("Hạn đăng ký"))).to_be_visible()
    expect(page.get_by_label("Hạn đăng ký")).to_have_attribute("aria-invalid", "true")
    described_by = page.get_by_label("Hạn tổng kết").get_attribute("aria-describedby")
    expect(page.locator(f"[id='{described_by}']")).not_to_be_empty()
    check_page(page, "form-errors")
    summary.get_by_role("link", name=re.compile("Hạn tổng kết")).click()
    expect(page.get_by_label("Hạn tổng kết")).to_be_focused()
    page.context.close()

    page = new_page(browser, browser_context_args)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("theodoi.vinhphuc")
    page.get_by_label("Mật khẩu").fill("khong-dung")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("mật khẩu")
    page.context.close()

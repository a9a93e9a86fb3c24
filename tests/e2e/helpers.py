"""Steps the browser tests share: logging in, and checking a page (screenshot + axe-core)."""

import io
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.servers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
BRANCH = "Chi bộ thôn Phú Lộc"  # the branch whose year the journeys follow
PASSWORD = "BonTot@2026"  # every demo account's (README.md)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
BLOCKING = ("serious", "critical")
_axe = Axe()


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chào đồng chí")


def accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def check_page(page: Page, name: str) -> None:
    """Keep a full-page screenshot under test-artifacts/screenshots/ and require no serious or
    critical accessibility violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state()
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    problems = accessibility_problems(page)
    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[ \t]+", " ", "\n".join(p.extract_text() or "" for p in reader.pages))


def download(page: Page, trigger) -> tuple[str, bytes]:
    """Click `trigger` (a locator) and return the downloaded file's suggested name and bytes."""
    with page.expect_download() as info:
        trigger.click()
    item = info.value
    path = item.path()
    return item.suggested_filename, path.read_bytes()


def new_page(browser, browser_context_args, **extra) -> Page:
    """A page in a fresh context (its own cookies): one person on one device."""
    context = browser.new_context(**{**browser_context_args, **extra})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure?" confirmations
    return page


def status(page: Page):
    """The page's messages (base.html's live region)."""
    return page.locator("main > div[aria-live]")

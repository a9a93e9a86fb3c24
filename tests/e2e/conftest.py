"""Browser tests: the real application in a server process of its own (gunicorn, as deployed),
on a database these fixtures create, migrate and fill with the demo data, driven by the system
Chromium through Playwright.

SQLite by default (a file in a temporary directory); with DATABASE_URL pointing at PostgreSQL, a
database of its own next to the one named there, dropped at the end."""

import datetime
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import ARTIFACTS, BRANCH, CHROMIUM, check_page, login, new_page, status
from tests.servers import ROOT, free_port


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    )
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            # One test worker runs them all, in file order, on one server (pytest-xdist's
            # --dist loadgroup; the journeys share what they create).
            item.add_marker(pytest.mark.xdist_group("browser"))
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own browser here), quiet: no network
    of its own, no updates."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, server):
    return {**browser_context_args, "base_url": server, "locale": "vi-VN", "accept_downloads": True}


def _postgres_database(url: str) -> tuple[str, str] | None:
    """(url of the e2e database, its name) when DATABASE_URL is PostgreSQL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{parts.path.lstrip('/') or 'bontot'}_e2e{'_' + worker if worker else ''}"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _admin_sql(url: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory):
    """Environment of a fresh database, migrated and filled with the demo data (BONTOT_DEMO=1)."""
    workdir = tmp_path_factory.mktemp("e2e")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_SETTINGS_MODULE"))
    }
    postgres = _postgres_database(os.environ.get("DATABASE_URL", ""))
    if postgres:
        url, name = postgres
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin_sql(url, f'CREATE DATABASE "{name}"')
    else:
        url = f"sqlite:///{workdir / 'e2e.sqlite3'}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "BONTOT_MODE": "development",
            "BONTOT_DEMO": "1",
            "DATABASE_URL": url,
            "BONTOT_MEDIA_ROOT": str(workdir / "media"),
            "EMAIL_URL": "consolemail://",
        }
    )
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "create_seal_certificate", "--if-missing")
    _manage(env, "load_demo")
    yield env
    if postgres:
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{postgres[1]}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server(e2e_env):
    """The application served by gunicorn in its own process; yields the base URL. Its log is
    kept in test-artifacts/e2e-server.log."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = (ARTIFACTS / "e2e-server.log").open("w")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn) if gunicorn.exists() else shutil.which("gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=4",
            "--timeout=120",
        ],
        cwd=ROOT,
        env=e2e_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/healthz?scope=web", timeout=2):
                    break
            except (OSError, urllib.error.URLError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the e2e server did not start; see test-artifacts/e2e-server.log"
                    ) from None
                time.sleep(0.3)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _vn_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture(scope="session")
def published_plan(browser, browser_context_args):
    """Committee staff create a draft from the standard template, narrow its targets, are told
    what is missing before publishing, fill it in, and publish. Returns the plan's number and
    address."""
    page = new_page(browser, browser_context_args)
    login(page, "canbo.quephu")
    check_page(page, "staff-home")

    page.goto("/plans/")
    check_page(page, "plan-list")
    page.get_by_role("link", name="Tạo kế hoạch").click()
    today = datetime.date.today()
    page.get_by_label("Cấp ủy ban hành").select_option(label="Đảng bộ xã Quế Phú")
    expect(page.get_by_label("Bắt đầu từ")).to_have_value("standard")
    page.get_by_label("Hạn đăng ký").fill(_vn_date(today + datetime.timedelta(days=10)))
    page.get_by_label("Hạn ký cam kết").fill(_vn_date(today + datetime.timedelta(days=20)))
    page.get_by_label("Hạn sơ kết").fill("")
    page.get_by_label("Hạn tổng kết").fill(_vn_date(today + datetime.timedelta(days=60)))
    check_page(page, "plan-create")
    year = int(page.get_by_label("Từ năm").input_value())  # the form proposes the year it is for
    page.get_by_role("button", name="Tạo dự thảo").click()

    expect(status(page)).to_contain_text("Đã tạo dự thảo kế hoạch")
    number = re.search(r"\d+-KH/ĐU", page.get_by_role("heading", level=1).inner_text()).group(0)
    plan_url = page.url
    criteria = page.get_by_role("table")
    for name in [
        "Lãnh đạo hoàn thành tốt nhiệm vụ",
        "Chất lượng sinh hoạt tốt",
        "Đoàn kết, kỷ luật tốt",
        "Đảng viên tốt",
    ]:
        expect(criteria).to_contain_text(name)
    expect(criteria.locator("tfoot")).to_contain_text("100")
    check_page(page, "plan-draft")

    # Only two branches of the commune take part this time.
    page.get_by_role("link", name="Chọn tổ chức thực hiện").click()
    boxes = page.get_by_role("checkbox")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip()
        box.set_checked(label in (BRANCH, "Chi bộ thôn Hương Mao"))
    check_page(page, "plan-targets")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Tổ chức thực hiện (2)")).to_be_visible()

    # Publishing without the signer's name is refused with the reason.
    page.get_by_role("button", name="Ban hành").click()
    expect(page.get_by_role("alert")).to_contain_text("Chưa ghi người ký kế hoạch.")
    page.get_by_role("link", name="Sửa kế hoạch").click()
    page.get_by_label("Người ký", exact=True).fill("Nguyễn Văn Định")
    check_page(page, "plan-edit")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("button", name="Ban hành").click()
    expect(status(page)).to_contain_text(f"Đã ban hành kế hoạch {number}")
    expect(page.locator("main")).to_contain_text("Đã ban hành")
    check_page(page, "plan-published")
    page.context.close()
    return {"number": number, "url": plan_url, "year": year}

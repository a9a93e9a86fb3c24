"""In a real browser (the system Chromium): main pages, the signing page with its document
preview, and the Django admin load without a single Content Security Policy violation, and
their scripts still work (the menu opens, the admin's select-all ticks the rows)."""

import shutil

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from tests.test_access import _with_pledges

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Chromium (apt-get install chromium)"
)


def _session_cookie(user, live_server):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session.session_key,
        "url": live_server.url,
    }


def test_pages_and_admin_load_without_violations_in_chromium(world, plan, live_server):
    from playwright.sync_api import sync_playwright

    _with_pledges(world, plan)
    admin_user = world.users["staff"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    # Everything from the database first: Playwright's event loop makes Django refuse queries.
    secretary_cookie = _session_cookie(world.users["secretary_own"], live_server)
    staff_cookie = _session_cookie(admin_user, live_server)
    secretary_pages = [
        reverse("home"),
        reverse("criteria:plan_detail", args=[plan.pk]),
        reverse("pledges:pledge_sign", args=[world.draft.pk]),  # with the preview iframe
        reverse("reports:review_detail", args=[world.review.pk]),
    ]
    staff_pages = [
        reverse("reports:summary", args=[plan.pk]),  # the SVG charts
        reverse("admin:index"),
        reverse("admin:branches_member_change", args=[world.member_a.pk]),
        reverse("admin:branches_member_history", args=[world.member_a.pk]),
    ]
    changelist = reverse("admin:branches_member_changelist")
    world_member_pk = world.member_a.pk
    violations = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            for cookie, pages in [(None, [reverse("login")]), (secretary_cookie, secretary_pages)]:
                context = browser.new_context(viewport={"width": 390, "height": 844})
                if cookie:
                    context.add_cookies([cookie])
                page = context.new_page()
                page.on("console", lambda m, page=page: _note(m, violations, page.url))
                for path in pages:
                    assert page.goto(live_server.url + path).status == 200, path
                    page.wait_for_load_state("load")
                # The phone-sized menu is Bootstrap's script: it still opens.
                page.click("button.navbar-toggler")
                page.wait_for_selector("#main-nav.show")
                context.close()

            context = browser.new_context()
            context.add_cookies([staff_cookie])
            page = context.new_page()
            page.on("console", lambda m, page=page: _note(m, violations, page.url))
            for path in staff_pages:
                assert page.goto(live_server.url + path).status == 200, path
            page.goto(live_server.url + changelist)
            page.check("#action-toggle")  # the admin's actions.js ticks every row
            assert page.locator("input.action-select:checked").count() >= 2
            assert page.locator(".action-counter").inner_text().startswith("2")
            context.close()
        finally:
            browser.close()
    # The one known, cosmetic case: django-simple-history's paginator style (see test_csp.py).
    history = reverse("admin:branches_member_history", args=[world_member_pk])
    assert [v for v in violations if not (history in v and "inline style" in v)] == []


def _note(message, violations, url):
    if "Content Security Policy" in message.text:
        violations.append(f"{url}: {message.text}")

"""The Content Security Policy: no 'unsafe-inline', and nothing in our pages, the admin or our
scripts that it would block."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.security.inline import blocked_by_policy, policy_directives
from tests.test_access import MATRIX, _with_pledges

ROOT = Path(__file__).resolve().parent.parent.parent
# Who opens each page: the first of these roles the access matrix lets in.
VIEWERS = ["staff", "leader", "secretary_own", "official", "secretary_other", "anonymous"]
# django-simple-history's object history page styles its paginator inline: the browser keeps the
# paginator's top border, nothing else changes.
THIRD_PARTY_ALLOWED = {'<p class="paginator" style="border-top: 0">'}


def test_policy_forbids_inline_code_and_foreign_sources(client, db):
    response = client.get(reverse("login"))
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    directives = policy_directives(header)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]  # no nonce: this page has no <style> block
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]


def _html_problems(response, url):
    if not response["Content-Type"].startswith("text/html"):
        return []
    policy = response.get("Content-Security-Policy")
    if policy is None:
        return [f"{url}: no Content-Security-Policy header"]
    found = blocked_by_policy(response.content.decode(), policy, allowed=THIRD_PARTY_ALLOWED)
    return [f"{url}: {problem}" for problem in found]


def test_every_page_of_the_matrix_works_under_the_policy(world, plan, login, client):
    _with_pledges(world, plan)
    problems, seen_html = [], 0
    for name, (method, args, expected) in MATRIX.items():
        if method != "get":
            continue
        role = next((r for r in VIEWERS if expected[r] == 200), None)
        if role is None:  # a step the matrix's data is already past (302): templates scan below
            continue
        client.logout()
        url = reverse(name, args=args(world))
        response = login(world.users[role]).get(url)
        assert response.status_code == 200, f"{url} as {role}"
        seen_html += response["Content-Type"].startswith("text/html")
        problems += _html_problems(response, url)
    client.logout()
    for name in ["login", "password_reset", "partydocs:verify_upload"]:
        problems += _html_problems(client.get(reverse(name)), name)
    assert seen_html > 50
    assert problems == []


def test_document_previews_style_themselves_with_the_nonce(world, plan, login):
    """The signing page shows the document's own HTML in an iframe; its <style> block carries
    the nonce of its response, and only that response allows it."""
    _with_pledges(world, plan)
    response = login(world.users["secretary_own"]).get(
        reverse("pledges:pledge_preview", args=[world.draft.pk])
    )
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert len(nonce) >= 16
    assert f"'nonce-{nonce}'" in policy_directives(response["Content-Security-Policy"])["style-src"]
    again = login(world.users["secretary_own"]).get(
        reverse("pledges:pledge_preview", args=[world.draft.pk])
    )
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]  # one nonce per response


def test_admin_pages_work_under_the_policy(world, plan, client):
    _with_pledges(world, plan)
    superuser = world.users["staff"]
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(superuser)
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(_request(superuser)):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        problems += _html_problems(response, url)
    assert len(urls) > 30
    assert problems == []


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


TEMPLATE_RULES = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _page_templates():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT / "templates")
        # Documents are rendered by WeasyPrint; their only browser view (the preview) is checked
        # above. E-mails are not web pages.
        if (
            "pdf" in relative.parts
            or "email" in relative.parts
            or relative.name.endswith("_email.html")
        ):
            continue
        yield relative, path.read_text()


def test_no_template_needs_inline_code():
    templates = list(_page_templates())
    assert len(templates) > 40
    problems = [
        f"{name}: {label}: {match.group(0)}"
        for name, text in templates
        for pattern, label in TEMPLATE_RULES
        for match in pattern.finditer(text)
    ]
    assert problems == []


JS_RULES = [
    (re.compile(r"\beval\s*\("), "eval"),
    (re.compile(r"\bnew\s+Function\s*\("), "new Function"),
    (re.compile(r"\bset(Timeout|Interval)\s*\(\s*[\"'`]"), "string timer"),
    (re.compile(r"setAttribute\s*\(\s*[\"'](style|on\w+)[\"']"), "inline style/handler attribute"),
    (re.compile(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML"), "HTML written from script"),
]


@pytest.mark.parametrize("script", sorted((ROOT / "static" / "js").glob("*.js")), ids=str)
def test_our_scripts_need_no_unsafe_eval_or_inline_code(script):
    text = script.read_text()
    assert [label for pattern, label in JS_RULES if pattern.search(text)] == []

"""Smoke test against a running server (scripts/prodlike.sh smoke): health, static files, and one
pledge signed end to end through the real forms — log-in, CSRF tokens, session cookies — then
the signed PDF downloaded and read back with pypdf, and its verification page.

    .venv/bin/python scripts/smoke.py http://127.0.0.1:8781 [--secretary bithu.quephu14]

The demo data must be loaded (`manage.py load_demo`): the secretary's pledge is still a draft,
and as the demo plan's signing deadline is in the past, the commune's staff member first grants
the branch an extension through the registration list, as the office would.
"""

import argparse
import datetime
import http.cookiejar
import io
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape

from pypdf import PdfReader

DEMO_PASSWORD = "BonTot@2026"


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure. Browsers treat http://localhost and 127.0.0.1 as a secure
    context and send them there; urllib does not, so the same exception is made here — for the
    loopback address only."""

    def return_ok_secure(self, cookie, request):
        host = urllib.parse.urlsplit(request.full_url).hostname
        return host in {"127.0.0.1", "localhost", "::1"} or super().return_ok_secure(
            cookie, request
        )


class Session:
    """One browser: its own cookies, the CSRF token taken from each form it posts."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(LoopbackCookiePolicy()))
        )

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=body, headers={"Referer": self.base_url + path}
        )
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            raise SystemExit(f"FAIL {path}: HTTP {error.code}\n{error.read()[:2000]!r}") from None
        content = response.read()
        return response, content

    def page(self, path: str) -> tuple[str, str]:
        response, content = self.request(path)
        return urllib.parse.urlsplit(response.geturl()).path, content.decode()

    def submit(self, path: str, fields: dict) -> tuple[str, str]:
        """GET the form, POST it back with its CSRF token and `fields`; the final URL and page."""
        _url, html = self.page(path)
        token = _find(r'name="csrfmiddlewaretoken" value="([^"]+)"', html, f"CSRF token on {path}")
        response, content = self.request(path, {"csrfmiddlewaretoken": token, **fields})
        return urllib.parse.urlsplit(response.geturl()).path, content.decode()

    def log_in(self, username: str) -> str:
        url, html = self.submit(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        check(url != "/accounts/login/", f"log-in as {username}")
        return html


def _find(pattern: str, text: str, what: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise SystemExit(f"FAIL: {what} not found")
    return match.group(1)


def check(condition: bool, what: str):
    if not condition:
        raise SystemExit(f"FAIL: {what}")
    print(f"ok   {what}", flush=True)


def smoke(base_url: str, secretary: str, staff: str):
    anonymous = Session(base_url)
    # Right after start the heartbeat may not have run yet: wait for a worker to be seen.
    deadline = time.monotonic() + 90
    while True:
        response, content = anonymous.request("/healthz")
        health = json.loads(content)
        if health.get("worker_last_seen") or time.monotonic() > deadline:
            break
        time.sleep(1)
    check(
        health["status"] == "ok" and health["worker"] == "ok" and health["worker_last_seen"],
        f"/healthz: database answers, a worker took the heartbeat ({health})",
    )
    check(len(response.headers.get("X-Request-ID", "")) == 32, "a request id on every response")
    _url, login_page = anonymous.page("/accounts/login/")
    css = _find(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', login_page, "hashed app.css")
    response, content = anonymous.request(css)
    check(
        b"{" in content and "immutable" in response.headers.get("Cache-Control", ""),
        f"static file from collectstatic, cached for good ({css})",
    )

    # The secretary finds the branch's draft pledge from the home page of its year.
    branch = Session(base_url)
    home = branch.log_in(secretary)
    years = re.findall(r'href="\?year=(\d{4})"', home)
    pledge_id = None
    for year in sorted(set(years), reverse=True):
        _url, page = branch.page(f"/?year={year}")
        found = re.search(r'href="/pledges/(\d+)/"', page)
        if found:
            pledge_id = found.group(1)
            break
    check(pledge_id is not None, f"{secretary} sees the branch's pledge")
    _url, detail = branch.page(f"/pledges/{pledge_id}/")
    check(
        "Đã quá hạn ký cam kết" in detail and f'href="/pledges/{pledge_id}/sign/"' not in detail,
        "the draft's signing deadline has passed: the page says so and offers no signing",
    )
    branch_name = unescape(_find(r"<title>Bản cam kết — (.+?) · ", detail, "branch name"))
    plan_id = _find(r'href="/plans/(\d+)/registrations/"', detail, "the plan's registration list")
    signer = unescape(
        _find(r'data-bs-toggle="dropdown"[^>]*>([^<]+)</button>', detail, "the user's name")
    )

    # The commune office extends the signing deadline for the branch.
    office = Session(base_url)
    office.log_in(staff)
    _url, registrations = office.page(f"/plans/{plan_id}/registrations/")
    extend = _find(
        rf'href="(/plans/{plan_id}/extend/\d+/)">[^<]*<span class="visually-hidden"> '
        rf"{re.escape(branch_name)}</span>",
        registrations,
        f"the extension link for {branch_name}",
    )
    until = (datetime.date.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    url, _page = office.submit(
        extend, {"kind": "signing", "until": until, "reason": "Kiểm thử vận hành (smoke test)"}
    )
    check(url == f"/plans/{plan_id}/registrations/", f"{staff} extends the signing deadline")
    _url, detail = branch.page(f"/pledges/{pledge_id}/")
    check(
        f'href="/pledges/{pledge_id}/sign/"' in detail and "đã được gia hạn" in detail,
        "after the extension the draft may be signed, and the page says it was extended",
    )

    # The secretary signs through the signing form.
    url, page = branch.submit(
        f"/pledges/{pledge_id}/sign/",
        {
            "full_name": signer,
            "password": DEMO_PASSWORD,
            "consent": "on",
            "drawing": "",
            "content_hash": _find(
                r'name="content_hash" value="([0-9a-f]{64})"',
                branch.page(f"/pledges/{pledge_id}/sign/")[1],
                "content hash",
            ),
        },
    )
    code = _find(r"Mã xác minh: ([A-Za-z0-9_-]{16,})", page, "the verification code after signing")
    check(url == f"/pledges/{pledge_id}/", f"{signer} signs pledge {pledge_id} (code {code})")

    # The signed PDF, read back.
    response, pdf = branch.request(f"/pledges/{pledge_id}/pdf/")
    check(response.headers.get_content_type() == "application/pdf", "the PDF downloads")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    check(
        branch_name in flat and signer in flat and code in flat,
        f"the PDF ({len(reader.pages)} pages) names the branch, the signer and the code",
    )
    fields = reader.get_fields() or {}
    check(
        any(field.get("/FT") == "/Sig" for field in fields.values()),
        "the PDF carries a signature field (the PAdES seal)",
    )
    _url, verification = anonymous.page(f"/verify/{code}")
    check(branch_name in unescape(verification), "the public verification page knows the code")
    print("SMOKE PASSED")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--secretary", default="bithu.quephu14")
    parser.add_argument("--staff", default="canbo.quephu")
    args = parser.parse_args()
    smoke(args.base_url, args.secretary, args.staff)


if __name__ == "__main__":
    sys.exit(main())

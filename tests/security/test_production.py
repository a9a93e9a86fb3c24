"""Production settings: Django's deployment checks, and what a real production server sends —
HTTPS-only, HttpOnly, SameSite cookies that end with the browser, HSTS and the CSP."""

import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest

from tests.servers import ROOT, running_server


def production_env(tmp_path) -> dict[str, str]:
    return {
        "BONTOT_MODE": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,bontot.example.vn",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BONTOT_STATIC_ROOT": str(tmp_path / "static"),
        "BONTOT_MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, settings: str = "config.settings"):
    """Run manage.py in a fresh process with exactly these settings."""
    process_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    # The one check silenced is django-ratelimit's "not officially supported" warning for
    # Django's own RedisCache (docs/decisions.md); its errors for unfit caches stay on.
    assert "System check identified no issues (1 silenced)." in result.stdout
    from django.conf import settings

    assert settings.SILENCED_SYSTEM_CHECKS == ["django_ratelimit.W001"]


def test_production_refuses_the_development_secret_key(tmp_path):
    env = {**production_env(tmp_path), "DJANGO_SECRET_KEY": ""}
    result = manage(env, "check")
    assert result.returncode != 0
    assert "Production needs its own DJANGO_SECRET_KEY" in result.stderr


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _request(url, *, data=None, headers=None):
    """One request, redirects not followed; returns (status, headers, body)."""
    opener = urllib.request.build_opener(_NoRedirect)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _set_cookies(headers) -> dict[str, str]:
    """Each Set-Cookie header, by cookie name (the raw header, attributes included)."""
    return {header.split("=", 1)[0]: header for header in headers.get_all("Set-Cookie") or []}


def _attributes(raw: str):
    cookie = SimpleCookie()
    cookie.load(raw)
    (morsel,) = cookie.values()
    return morsel


def test_production_server_sends_secure_cookies_hsts_and_csp(tmp_path):
    env = production_env(tmp_path)
    assert manage(env, "migrate", "--noinput", "-v0").returncode == 0
    created = manage(
        env,
        "shell",
        "-c",
        "from branches.models import User; "
        "User.objects.create_user(username='thu', password='Mat-khau-dai-2026', full_name='Thu')",
    )
    assert created.returncode == 0, created.stderr
    with running_server(env, settings="tests.security.production_settings") as base_url:
        # Plain HTTP is sent to HTTPS.
        status, headers, _body = _request(f"{base_url}/accounts/login/")
        assert status == 301 and headers["Location"].startswith("https://")

        https = {"X-Forwarded-Proto": "https"}  # as the reverse proxy says
        status, headers, body = _request(f"{base_url}/accounts/login/", headers=https)
        assert status == 200
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        policy = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "script-src 'self'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        csrf = _attributes(_set_cookies(headers)["csrftoken"])
        assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        origin = base_url.replace("http://", "https://")
        status, headers, _body = _request(
            f"{base_url}/accounts/login/",
            data={"username": "thu", "password": "Mat-khau-dai-2026", "csrfmiddlewaretoken": token},
            headers={**https, "Origin": origin, "Cookie": f"csrftoken={csrf.value}"},
        )
        assert status == 302, _body
        raw_session = _set_cookies(headers)["sessionid"]
        session = _attributes(raw_session)
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
        # No Expires / Max-Age: the cookie ends when the browser closes (the server also ends
        # the session after SESSION_COOKIE_AGE, see test_session_expires_on_the_server).
        assert "expires" not in raw_session.lower() and "max-age" not in raw_session.lower()

        status, _headers, _body = _request(
            f"{base_url}/", headers={**https, "Cookie": f"sessionid={session.value}"}
        )
        assert status == 200


@pytest.mark.django_db
def test_session_expires_on_the_server(world, client):
    """Past SESSION_COOKIE_AGE the session is dead, whatever the browser keeps."""
    import datetime

    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.urls import reverse
    from django.utils import timezone

    from tests.conftest import PASSWORD

    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date - timezone.now() <= datetime.timedelta(hours=8)
    Session.objects.filter(pk=stored.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

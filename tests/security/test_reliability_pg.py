"""Reliability on PostgreSQL: two people saving one assessment at the same moment, and a
database restart in the middle of a server's run."""

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from glob import glob
from pathlib import Path

import pytest
from django.db import connection

from reports.reviews import services as reviews
from reports.reviews.models import Review, ReviewScore
from tests.reports.helpers import fill_and_submit
from tests.security.test_production import _attributes, _request, _set_cookies
from tests.servers import ROOT, free_port, running_server

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_one_assessment_at_once(world, signed_registration):
    """Both opened the form at the same revision and press Save together: one save is written
    whole, the other gets the conflict message and writes nothing."""
    review = fill_and_submit(world, signed_registration)
    opened_at = review.revision
    scores = list(review.scores.all())
    people = {"staff": Decimal("1"), "leader": Decimal("2")}
    barrier = threading.Barrier(len(people))
    saved, conflicts, errors = [], [], []

    def save(role, value):
        try:
            rows = {
                s.indicator_id: {"assessed_score": value, "assessed_comment": role} for s in scores
            }
            barrier.wait()
            reviews.review_assess(
                actor=world.users[role], review=review, rows=rows, revision=opened_at
            )
            saved.append(role)
        except reviews.Conflict as conflict:
            conflicts.append(conflict.messages[0])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=item) for item in people.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(saved) == 1 and len(conflicts) == 1
    assert "đã lưu phần thẩm định này" in conflicts[0]
    winner = saved[0]
    stored = ReviewScore.objects.filter(review=review)
    # Every row is the winner's: nothing of the other save, nothing half-written.
    assert {(s.assessed_score, s.assessed_comment) for s in stored} == {(people[winner], winner)}
    assert Review.objects.get(pk=review.pk).revision == opened_at + 1


# A private PostgreSQL instance -----------------------------------------------------------------
# The shared cluster on 5432 serves every developer and test run: this test starts its own.


def _pg_bin(name: str) -> str | None:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else None


def _as_postgres_user() -> list[str]:
    """initdb refuses to run as root: run the server as the `postgres` OS user then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no `postgres` OS user to run PostgreSQL as")
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser")
    return [runuser, "-u", "postgres", "--"]


class PrivatePostgres:
    def __init__(self, directory: Path, port: int, prefix: list[str]):
        self.directory, self.port, self.prefix = directory, port, prefix
        self.data = directory / "data"
        self.log = directory / "server.log"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, _pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def init(self) -> None:
        subprocess.run(
            [*self.prefix, _pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            + ["--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg_ctl("-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/bontot"


@contextlib.contextmanager
def private_postgres():
    if _pg_bin("initdb") is None or _pg_bin("pg_ctl") is None:
        pytest.skip("PostgreSQL server binaries missing (/usr/lib/postgresql/*/bin/initdb)")
    prefix = _as_postgres_user()
    directory = Path(tempfile.mkdtemp(prefix="bontot-pg-"))
    if prefix:
        shutil.chown(directory, "postgres", "postgres")
    server = PrivatePostgres(directory, free_port(), prefix)
    try:
        server.init()
        server.start()
        subprocess.run(
            [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres"]
            + ["bontot"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _timed(url, **kwargs):
    """(status, seconds) — a hang fails the test through the request's timeout."""
    started = time.monotonic()
    status, _headers, _body = _request(url, **kwargs)
    return status, time.monotonic() - started


def test_a_database_restart_fails_requests_cleanly_and_they_succeed_after(tmp_path):
    with private_postgres() as database:
        env = {
            "BONTOT_MODE": "development",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": database.url,
            "BONTOT_MEDIA_ROOT": str(tmp_path / "media"),
            "LOG_LEVEL": "CRITICAL",
        }
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from branches.models import User; "
            "User.objects.create_user(username='thu', password='Mat-khau-dai-2026', full_name='Thu')",
        )
        with running_server(env) as base_url:
            status, headers, body = _request(f"{base_url}/accounts/login/")
            csrf = _attributes(_set_cookies(headers)["csrftoken"]).value
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            status, headers, _body = _request(
                f"{base_url}/accounts/login/",
                data={
                    "username": "thu",
                    "password": "Mat-khau-dai-2026",
                    "csrfmiddlewaretoken": token,
                },
                headers={"Cookie": f"csrftoken={csrf}"},
            )
            assert status == 302
            cookie = {
                "Cookie": f"sessionid={_attributes(_set_cookies(headers)['sessionid']).value}"
            }
            page = f"{base_url}/"  # the home page: session, user and roles from the database
            assert _request(page, headers=cookie)[0] == 200  # a persistent connection is open

            database.stop()
            down_health, seconds = _timed(f"{base_url}/healthz")
            assert down_health == 503 and seconds < 10
            down_page, seconds = _timed(page, headers=cookie)
            assert down_page == 500 and seconds < 10

            database.start()
            # The very first request after the restart already works (the stale connection is
            # noticed and replaced), and the session survived.
            assert _request(page, headers=cookie)[0] == 200
            assert _request(f"{base_url}/healthz")[0] == 200

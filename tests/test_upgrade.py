"""Nothing is lost on upgrade: a database made by the previous release (its demo data, signed,
countersigned and returned pledges, signed self-assessments) is migrated by this code, and every
row is still there, every signature's hash still matches the content it covers, every sealed PDF
that release issued still verifies, and the public verification page still answers.

The fixture (tests/fixtures/upgrade/release-<commit>/) was made by scripts/upgrade_fixture.py
from that release's own code; the migration and the checks run in a separate process, as a
deployment would run them.
"""

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "upgrade" / "release-317139e"
MANIFEST = json.loads((FIXTURE / "manifest.json").read_text(encoding="utf-8"))
DOMAIN = ("branches_", "criteria_", "pledges_", "reports_")

# Runs inside the upgraded system.
CHECK = r"""
import hashlib, json, os, pathlib
from django.apps import apps
from django.db import connection
from django.test import Client
from audit.reasons import PREFIX, describe
from partydocs.models import Signature
from partydocs.verification import verify_pdf
with connection.cursor() as cursor:
    counts = {}
    for table in connection.introspection.table_names():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
signatures = {
    s.code: {
        "hash": s.content_hash,
        "matches": hashlib.sha256(s.canonical.encode("utf-8")).hexdigest() == s.content_hash,
        "status": s.document.verification_status(s),
    }
    for s in Signature.objects.all()
}
pdfs = {}
for path in sorted(pathlib.Path(os.environ["UPGRADE_PDFS"]).glob("*.pdf")):
    result = verify_pdf(path.read_bytes())
    pdfs[path.stem] = [result.ok, result.signature.code if result.signature else None]
client = Client(HTTP_HOST="127.0.0.1")
pages = {}
for code in pdfs:
    page = client.get(f"/verify/{code}")
    pages[code] = [page.status_code, code in page.content.decode()]
uncoded, samples = 0, set()
for model in apps.get_models():
    if any(field.name == "history_change_reason" for field in model._meta.fields):
        rows = model.objects.exclude(history_change_reason__isnull=True).exclude(
            history_change_reason=""
        )
        left = rows.exclude(history_change_reason__startswith=PREFIX)
        uncoded += left.count()
        samples.update(f"uncoded: {text}" for text in left.values_list(
            "history_change_reason", flat=True
        ).distinct()[:5])
        for stored in rows.values_list("history_change_reason", flat=True).distinct()[:3]:
            samples.add(describe(stored))
print("RESULT=" + json.dumps({
    "counts": counts, "signatures": signatures, "pdfs": pdfs, "pages": pages,
    "uncoded": uncoded, "samples": sorted(samples),
}))
"""


def _environment(tmp_path: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "BONTOT_MODE": "development",
        "BONTOT_DEMO": "1",
        "DJANGO_DEBUG": "0",
        "BONTOT_MEDIA_ROOT": str(tmp_path / "media"),
        "BONTOT_SEAL_KEY": str(FIXTURE / "seal" / "seal-key.pem"),
        "BONTOT_SEAL_CERT": str(FIXTURE / "seal" / "seal-cert.pem"),
        "EMAIL_URL": "dummymail://",
        "UPGRADE_PDFS": str(tmp_path / "pdfs"),
    }


def _manage(env: dict, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _pdfs(tmp_path: Path, backend: str) -> None:
    target = tmp_path / "pdfs"
    target.mkdir()
    with tarfile.open(FIXTURE / "pdfs.tar.gz") as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(f"{backend}/"):
                (target / Path(member.name).name).write_bytes(archive.extractfile(member).read())


def _upgrade_and_check(tmp_path: Path, database_url: str, backend: str) -> dict:
    _pdfs(tmp_path, backend)
    env = _environment(tmp_path, database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    output = _manage(env, "shell", "-c", CHECK)
    return json.loads(output.split("RESULT=", 1)[1])


def _assert_nothing_lost(result: dict, old_counts: dict, old_signatures: list) -> None:
    counts = result["counts"]
    for table, before in old_counts.items():
        assert table in counts, f"table {table} is gone"
        if table.startswith(DOMAIN):
            assert counts[table] == before, (table, before, counts[table])
        else:
            assert counts[table] >= before, (table, before, counts[table])
    # Every signature is there, over the same content, and its hash still matches it.
    signatures = result["signatures"]
    assert set(signatures) == {s["code"] for s in old_signatures}
    for old in old_signatures:
        now = signatures[old["code"]]
        assert now["hash"] == old["content_hash"] and now["matches"], old
        assert now["status"] in {"valid", "superseded", "returned", "withdrawn"}
    # The sealed PDFs the old release issued still verify, and the public page answers.
    assert result["pdfs"] and all(ok and code for ok, code in result["pdfs"].values())
    assert all(status == 200 and shown for status, shown in result["pages"].values())
    # The history reasons are all in the coded form, and read as they did.
    assert result["uncoded"] == 0, [s for s in result["samples"] if s.startswith("uncoded")]
    assert "Ký cam kết" in result["samples"] or "Đăng ký" in result["samples"]


def test_a_sqlite_database_of_the_previous_release_upgrades_without_loss(tmp_path):
    database = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(database)
    connection.executescript(
        gzip.decompress((FIXTURE / "sqlite.sql.gz").read_bytes()).decode("utf-8")
    )
    # The levels the old release computed at finalization (reports 0015 carries them over).
    (levels,) = connection.execute(
        "SELECT COUNT(*) FROM reports_review WHERE round = 'final' AND status = 'finalized' "
        "AND level != ''"
    ).fetchone()
    connection.close()
    result = _upgrade_and_check(tmp_path, f"sqlite:///{database}", "sqlite")
    _assert_nothing_lost(result, MANIFEST["sqlite_counts"], MANIFEST["signatures"])
    # Each finalized level is now a decided quality rating of its organization, with history.
    assert levels > 0
    assert result["counts"]["reports_organizationrating"] == levels
    assert result["counts"]["reports_historicalorganizationrating"] == levels
    assert "Chuyển từ kết quả chốt mô hình khi nâng cấp" in result["samples"]


@pytest.mark.postgres
def test_a_postgresql_database_of_the_previous_release_upgrades_without_loss(tmp_path):
    server = settings.DATABASES["default"]
    base = f"postgres://{server['USER']}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}"
    name = f"bontot_upgrade_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        subprocess.run(
            ["psql", f"{base}/{name}", "-q", "-v", "ON_ERROR_STOP=1"],
            input=gzip.decompress((FIXTURE / "postgresql.sql.gz").read_bytes()),
            check=True,
            capture_output=True,
        )
        result = _upgrade_and_check(tmp_path, f"{base}/{name}", "postgresql")
    finally:
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE {name} WITH (FORCE)"], check=True
        )
    _assert_nothing_lost(result, MANIFEST["pg_counts"], MANIFEST["pg_signatures"])

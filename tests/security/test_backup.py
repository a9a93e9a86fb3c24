"""Backup and restore: a round trip through a fresh database loses nothing — every row, every
uploaded file — and the signatures still verify afterwards (the sealed PDF downloaded before
the backup is recognised by the restored system)."""

import datetime
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from criteria.models import Plan
from partydocs.verification import verify_pdf
from tests.servers import ROOT
from tests.test_access import _with_pledges

pytestmark = pytest.mark.django_db(transaction=True)

# Run inside the restored system: what a verifier would see there.
CHECK = """
import json, os, pathlib
from partydocs.models import Signature
from partydocs.signing import content_hash
from partydocs.verification import verify_pdf
from pledges.selectors import verification_status
result = verify_pdf(pathlib.Path(os.environ["SEALED_PDF"]).read_bytes())
print(json.dumps({
    "pdf": [result.ok, result.reason, result.signature.code if result.signature else None],
    "signatures": sorted(
        [s.code, content_hash(s.canonical) == s.content_hash, verification_status(s)]
        for s in Signature.objects.all()
    ),
}))
"""


def _run(env, *args, check=True):
    process_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BONTOT_MODE": "test",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _members(archive):
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        data = tar.extractfile("data.json").read() if "data.json" in tar.getnames() else None
        media = {
            m.name: tar.extractfile(m).read()
            for m in tar.getmembers()
            if m.name.startswith("media/")
        }
    return manifest, data, media


def _objects(data: bytes) -> set[str]:
    return {json.dumps(obj, sort_keys=True) for obj in json.loads(data)}


@pytest.fixture
def signed_world(world, plan, login, tmp_path):
    """The access matrix's data (signed pledge, submitted review, minutes, evidence, a generated
    document) and the sealed pledge PDF as the branch downloaded it."""
    _with_pledges(world, plan)
    response = login(world.users["secretary_own"]).get(
        reverse("pledges:pledge_pdf", args=[world.signed.pk])
    )
    sealed = tmp_path / "cam-ket.pdf"
    sealed.write_bytes(response.content)
    before = verify_pdf(response.content)
    assert before.ok, before.reason
    return world, sealed, before.signature.code


def test_portable_round_trip_loses_nothing_and_signatures_still_verify(signed_world, tmp_path):
    world, sealed, code = signed_world
    # A time with fewer than 1,000 microseconds: Django's own JSON would write it as ".000",
    # and the second backup without a fraction (times are kept at full precision).
    stamp = datetime.datetime(2026, 1, 2, 3, 4, 5, 456, tzinfo=datetime.UTC)
    Plan.objects.filter(pk=world.signed.registration.plan_id).update(created_at=stamp)
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    manifest, data, media = _members(archive)
    assert b'"created_at": "2026-01-02T03:04:05.000456Z"' in data
    assert manifest["method"] == "portable" and manifest["counts"]["partydocs.signature"] >= 2
    assert len(media) >= 3  # the minutes, the evidence, the generated document

    # A fresh system: an empty SQLite database (whatever the source ran on) and media dir.
    target = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'khoi-phuc.sqlite3'}",
        "BONTOT_MEDIA_ROOT": str(tmp_path / "media-khoi-phuc"),
    }
    _run(target, "migrate", "--noinput", "-v0")
    restored = _run(target, "restore", str(archive))
    assert "Đã khôi phục (portable" in restored.stdout

    checked = json.loads(
        _run({**target, "SEALED_PDF": str(sealed)}, "shell", "--no-imports", "-c", CHECK).stdout
    )
    assert checked["pdf"] == [True, "ok", code]
    assert len(checked["signatures"]) == manifest["counts"]["partydocs.signature"]
    assert all(hash_ok for _code, hash_ok, _status in checked["signatures"])

    # Backed up again from the restored system: the very same rows and files.
    again = tmp_path / "lan-hai.tar.gz"
    _run(target, "backup", "--output", str(again))
    manifest2, data2, media2 = _members(again)
    assert _objects(data2) == _objects(data)
    assert media2 == media
    assert manifest2["counts"] == manifest["counts"]

    # A second restore over data is refused without --replace, and leaves it as it is.
    refused = _run(target, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "--replace" in refused.stderr


def test_a_damaged_archive_is_refused_before_anything_changes(signed_world, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", output=str(archive))
    damaged = tmp_path / "hong.tar.gz"
    flipped = False
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as copy:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("media/") and not flipped:
                content = content[:-1] + bytes([content[-1] ^ 1])  # one bit of one file
                flipped = True
            copy.addfile(member, io.BytesIO(content))
    assert flipped
    target = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dich.sqlite3'}",
        "BONTOT_MEDIA_ROOT": str(tmp_path / "media-dich"),
    }
    _run(target, "migrate", "--noinput", "-v0")
    result = _run(target, "restore", str(damaged), check=False)
    assert result.returncode != 0 and "bị hỏng" in result.stderr
    assert not (tmp_path / "media-dich").exists() or not any((tmp_path / "media-dich").iterdir())


@pytest.mark.postgres
def test_pg_dump_round_trip_into_a_new_database(signed_world, tmp_path):
    import psycopg2

    world, sealed, code = signed_world
    archive = tmp_path / "pg.tar.gz"
    call_command("backup", output=str(archive), method="pg_dump")
    manifest, data, media = _members(archive)
    assert manifest["method"] == "pg_dump" and data is None

    settings_dict = connection.settings_dict
    name = f"bontot_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        url = (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@"
            f"{settings_dict['HOST']}:{settings_dict['PORT']}/{name}"
        )
        target = {"DATABASE_URL": url, "BONTOT_MEDIA_ROOT": str(tmp_path / "media-pg")}
        restored = _run(target, "restore", str(archive))  # an empty database: no migrate first
        assert "Đã khôi phục (pg_dump" in restored.stdout
        checked = json.loads(
            _run({**target, "SEALED_PDF": str(sealed)}, "shell", "--no-imports", "-c", CHECK).stdout
        )
        assert checked["pdf"] == [True, "ok", code]
        assert all(hash_ok for _code, hash_ok, _status in checked["signatures"])
        # Same rows as the source, and the database still guards what was signed.
        portable = tmp_path / "sau-pg.tar.gz"
        _run(target, "backup", "--output", str(portable))
        counts = _members(portable)[0]["counts"]
        assert counts == manifest["counts"]
        guarded = _run(
            target,
            "shell",
            "--no-imports",
            "-c",
            "from partydocs.models import Signature; Signature.objects.all().delete()",
            check=False,
        )
        assert guarded.returncode != 0 and "bontot: signature" in guarded.stderr
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

"""`manage.py backup`: the whole database and every uploaded file, in one archive.

Two methods (docs/operations-backup.md):

- portable (default): `dumpdata` of every app into JSON, loadable into SQLite or PostgreSQL by
  `manage.py restore` running the same version of the application;
- pg_dump (PostgreSQL only): a `pg_dump --format=custom` of the database, schema included,
  restored by `manage.py restore` through `pg_restore`.

Either way the archive (.tar.gz) holds manifest.json (method, migrations, row counts, SHA-256 of
every file), the database part, and media/ (a copy of MEDIA_ROOT). Left out, on purpose: log-in
sessions and lock-out counters (everyone logs in again), content types and permissions (made by
`migrate`). The sealing key is not in MEDIA_ROOT and not in the archive: keep it apart.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from glob import glob
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "bontot-backup"
FORMAT_VERSION = 1
DATA_FILE = "data.json"
DUMP_FILE = "database.dump"
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
# Recreated by `migrate` (and referred to by natural keys), or short-lived by nature. The data
# versions are made by migrations and changed by the triggers as the restored rows go in.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes.accessattempt",
    "caching.dataversion",
    "caching.unitversion",  # per commune (reports 0026): as the data versions
    # Kept by triggers on the members: the restored members make them again.
    "branches.membercount",
]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, Path]:
    """Every file under MEDIA_ROOT, by its path relative to it."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def applied_migrations() -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def excluded_model(model) -> bool:
    label = model._meta.label_lower
    return model._meta.app_label in EXCLUDED or label in EXCLUDED


def row_counts() -> dict[str, int]:
    """Rows per model that the backup carries."""
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if not excluded_model(model) and model._meta.managed and not model._meta.proxy
    }


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4])
    )
    if not candidates:
        raise CommandError(f"Không tìm thấy {name} (cài gói postgresql-client).")
    return candidates[-1]


def pg_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL tools, from the Django settings."""
    db = settings.DATABASES["default"]
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", db["HOST"]]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return arguments, env


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu và các tệp đã tải lên vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Tệp kết quả (mặc định: var/backups/bontot-YYYYMMDD-HHMMSS.tar.gz).",
        )
        parser.add_argument(
            "--method",
            choices=["portable", "pg_dump"],
            default="portable",
            help="portable: JSON (dumpdata), khôi phục được vào SQLite hay PostgreSQL; "
            "pg_dump: bản sao PostgreSQL (chỉ khi đang dùng PostgreSQL).",
        )

    def handle(self, *args, output=None, method="portable", **options):
        if method == "pg_dump" and connection.vendor != "postgresql":
            raise CommandError("--method pg_dump chỉ dùng được với PostgreSQL (DATABASE_URL).")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(output or settings.VAR_DIR / "backups" / f"bontot-{stamp}.tar.gz")
        target.parent.mkdir(parents=True, exist_ok=True)
        media_root = Path(settings.MEDIA_ROOT)
        files = media_files(media_root)
        with tempfile.TemporaryDirectory(prefix="bontot-backup-") as work:
            work = Path(work)
            if method == "portable":
                database_part = work / DATA_FILE
                # One snapshot for the data and its counts, while the application runs on.
                with transaction.atomic():
                    if connection.vendor == "postgresql":
                        with connection.cursor() as cursor:
                            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    call_command(
                        "dumpdata",
                        # Django's JSON, times at full precision (branches/serializers.py).
                        format="json-full",
                        exclude=EXCLUDED,
                        natural_foreign=True,
                        output=str(database_part),
                        verbosity=0,
                    )
                    counts = row_counts()
            else:
                database_part = work / DUMP_FILE
                arguments, env = pg_arguments()
                result = subprocess.run(
                    [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
                    + arguments
                    + ["--file", str(database_part)],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if result.returncode != 0:
                    raise CommandError(f"pg_dump thất bại: {result.stderr.strip()}")
                counts = row_counts()  # pg_dump's own snapshot: these may be a moment later
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "method": method,
                "created_at": timezone.now().isoformat(),
                "database_vendor": connection.vendor,
                "migrations": applied_migrations(),
                "counts": counts,
                "media": {name: sha256_of(path) for name, path in files.items()},
            }
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(
                    archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                )
                archive.add(database_part, arcname=database_part.name)
                for name, path in files.items():
                    archive.add(path, arcname=f"{MEDIA_DIR}/{name}", recursive=False)
            # Renamed only when complete: a crash never leaves a half archive under the name.
            partial.replace(target)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu ({method}): {rows} dòng dữ liệu, {len(files)} tệp → {target}"
            )
        )

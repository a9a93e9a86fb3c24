"""`manage.py restore ARCHIVE`: put back what `manage.py backup` saved (docs/operations-backup.md).

The archive is checked first (format, every file's SHA-256). The database is refused if it holds
data, unless --replace is given. The portable method needs the schema of the application version
that made the archive (`migrate` first; the migrations must match); the pg_dump method brings its
own schema. The database is written in one transaction: it is either fully restored or unchanged.
Files already in MEDIA_ROOT are not deleted but moved aside, next to it.
"""

import contextlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from caching import figures
from operations.management.commands.backup import (
    DATA_FILE,
    DUMP_FILE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    applied_migrations,
    excluded_model,
    media_files,
    pg_arguments,
    pg_tool,
    row_counts,
    sha256_of,
)


def _holds_data() -> bool:
    """Any row in a model the backup carries (a database without tables holds none)."""
    try:
        with transaction.atomic():
            return any(
                model._default_manager.exists()
                for model in apps.get_models()
                if not excluded_model(model) and model._meta.managed and not model._meta.proxy
            )
    except DatabaseError:
        return False


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Regular files with plain relative names only: nothing may land outside the work dir."""
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if member.isdir():
            continue
        if not member.isfile() or path.is_absolute() or ".." in path.parts:
            raise CommandError(f"Tệp sao lưu có mục không hợp lệ: {member.name}")
        members.append(member)
    return members


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và các tệp đã tải lên từ một tệp sao lưu (manage.py backup)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp .tar.gz do manage.py backup tạo ra.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Ghi đè cơ sở dữ liệu đang có dữ liệu (dữ liệu hiện tại sẽ mất).",
        )

    def handle(self, *args, archive, replace=False, **options):
        source = Path(archive)
        if not source.is_file():
            raise CommandError(f"Không có tệp {source}.")
        with tempfile.TemporaryDirectory(prefix="bontot-restore-") as work:
            work = Path(work)
            with tarfile.open(source, "r:gz") as tar:
                tar.extractall(work, members=_safe_members(tar), filter="data")
            manifest = self._manifest(work)
            self._check_media(work, manifest)
            if _holds_data() and not replace:
                raise CommandError(
                    "Cơ sở dữ liệu đang có dữ liệu. Thêm --replace để ghi đè (dữ liệu hiện tại sẽ mất)."
                )
            if manifest["method"] == "portable":
                self._restore_portable(work, manifest)
            else:
                self._restore_pg_dump(work)
            aside = self._put_media(work / MEDIA_DIR)
        # Cached figures and rate-limit counters belong to the data that was replaced.
        # (A database cache whose table is not created yet holds nothing to clear.)
        for cache in caches.all(initialized_only=False):
            with contextlib.suppress(DatabaseError):
                cache.clear()
        figures.clear_local()
        counts = row_counts()
        if manifest["method"] == "portable":
            # pg_dump's counts come from a moment after its snapshot; these are exact.
            different = {
                label: (expected, counts.get(label))
                for label, expected in manifest["counts"].items()
                if counts.get(label) != expected
            }
            if different:
                raise CommandError(f"Số dòng sau khi khôi phục không khớp: {different}")
        message = (
            f"Đã khôi phục ({manifest['method']}, sao lưu lúc {manifest['created_at']}): "
            f"{sum(counts.values())} dòng dữ liệu, {len(manifest['media'])} tệp."
        )
        if aside:
            message += f" Các tệp cũ được chuyển sang {aside}."
        self.stdout.write(self.style.SUCCESS(message))

    def _manifest(self, work: Path) -> dict:
        try:
            manifest = json.loads((work / MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(
                "Không phải tệp sao lưu của Bốn Tốt (thiếu manifest.json)."
            ) from error
        if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
            raise CommandError("Tệp sao lưu có định dạng không được hỗ trợ.")
        if manifest["method"] == "pg_dump" and connection.vendor != "postgresql":
            raise CommandError("Bản sao lưu pg_dump chỉ khôi phục được vào PostgreSQL.")
        return manifest

    def _check_media(self, work: Path, manifest: dict) -> None:
        found = media_files(work / MEDIA_DIR)
        if set(found) != set(manifest["media"]):
            raise CommandError("Tệp sao lưu thiếu hoặc thừa tệp so với danh mục của nó.")
        damaged = [
            name for name, path in found.items() if sha256_of(path) != manifest["media"][name]
        ]
        if damaged:
            raise CommandError(f"Tệp sao lưu bị hỏng: {', '.join(damaged[:5])}")

    def _restore_portable(self, work: Path, manifest: dict) -> None:
        here = applied_migrations()
        if here != manifest["migrations"]:
            raise CommandError(
                "Cấu trúc cơ sở dữ liệu khác với lúc sao lưu. Chạy `manage.py migrate` bằng "
                "đúng phiên bản ứng dụng đã tạo bản sao lưu, khôi phục, rồi mới nâng cấp."
            )
        with transaction.atomic():
            # TRUNCATE on PostgreSQL: the triggers guarding signatures and the audit history
            # refuse row deletes, not emptying the whole table.
            call_command("flush", interactive=False, verbosity=0)
            # The history comes from the archive: loaddata setting many-to-many fields must not
            # write new history rows (simple-history skips raw saves, not m2m changes).
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(work / DATA_FILE), verbosity=0)

    def _restore_pg_dump(self, work: Path) -> None:
        arguments, env = pg_arguments()
        connection.close()  # pg_restore drops and recreates the tables
        result = subprocess.run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                str(work / DUMP_FILE),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore thất bại: {result.stderr.strip()}")

    def _put_media(self, restored: Path) -> Path | None:
        """Move MEDIA_ROOT's current content aside (if any), then the restored files in."""
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        aside = None
        current = list(root.iterdir())
        if current:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            aside = root.with_name(f"{root.name}.before-restore-{stamp}")
            aside.mkdir()
            for path in current:
                shutil.move(str(path), aside / path.name)
        if restored.exists():
            for path in restored.iterdir():
                shutil.move(str(path), root / path.name)
        return aside

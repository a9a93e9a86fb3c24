"""The background task: render one document in a child process with time and memory limits."""

import resource
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from reports.summaries.models import GeneratedDocument


def _limit_memory(megabytes: int):
    def apply():
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@task()
def generate_document(job_id: int) -> str:
    """Claim the job, run `manage.py render_document` for it, and keep a heartbeat while it runs."""
    claimed = GeneratedDocument.objects.filter(
        pk=job_id, status=GeneratedDocument.Status.QUEUED
    ).update(
        status=GeneratedDocument.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=5,
    )
    if not claimed:
        return "already taken"
    job = GeneratedDocument.objects.get(pk=job_id)
    GeneratedDocument.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    timeout, memory = settings.BONTOT_RENDER_TIMEOUT, settings.BONTOT_RENDER_MEMORY_MB
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "render_document",
        str(job_id),
    ]
    child = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory(memory),
    )
    started = time.monotonic()
    while child.poll() is None:
        if time.monotonic() - started > timeout:
            child.kill()
            child.wait()
            return _fail(
                job_id,
                _(
                    "Quá thời gian cho phép (%(s)s giây); tài liệu quá lớn — hãy lọc bớt rồi thử lại."
                )
                % {"s": timeout},
            )
        GeneratedDocument.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
        connection.close_if_unusable_or_obsolete()
        time.sleep(1)
    errors = child.stderr.read().decode(errors="replace")
    if child.returncode != 0:
        if "MemoryError" in errors or child.returncode in (-9, 137):
            return _fail(
                job_id,
                _("Vượt giới hạn bộ nhớ (%(mb)s MB) khi tạo tệp; hãy lọc bớt rồi thử lại.")
                % {"mb": memory},
            )
        meaningful = [
            line.strip()
            for line in errors.splitlines()
            if line.strip() and not set(line.strip()) <= set("^~ ")
        ]
        last = meaningful[-1] if meaningful else str(child.returncode)
        return _fail(job_id, _("Lỗi khi tạo tệp: %(error)s") % {"error": last[:300]})
    return "done"


def _fail(job_id: int, message: str) -> str:
    GeneratedDocument.objects.filter(pk=job_id).update(
        status=GeneratedDocument.Status.FAILED, message=message, finished_at=timezone.now()
    )
    return message

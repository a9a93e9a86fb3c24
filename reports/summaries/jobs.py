"""Large documents are made in the background: one job per distinct document, shared by everyone
who asks for it, reused until the data changes; a job whose worker vanished is reported."""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import User
from criteria.models import Plan
from partydocs.word import DOCX_CONTENT_TYPE
from reports.summaries.models import GeneratedDocument
from reports.summaries.tasks import generate_document

STALE_AFTER = datetime.timedelta(seconds=90)  # a running job beats every second


def _stale_after() -> datetime.timedelta:
    seconds = getattr(settings, "BONTOT_RENDER_STALE_SECONDS", None)
    return STALE_AFTER if seconds is None else datetime.timedelta(seconds=seconds)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": DOCX_CONTENT_TYPE,
}


def document_key(*, kind: str, fmt: str, params: dict, fingerprint: str) -> str:
    return hashlib.sha256(
        json.dumps([kind, fmt, params, fingerprint], sort_keys=True).encode()
    ).hexdigest()


def request_document(
    *,
    kind: str,
    fmt: str,
    params: dict,
    fingerprint: str,
    title: str,
    filename: str,
    plan: Plan,
    user: User,
) -> GeneratedDocument:
    """The job for this document: an existing one (queued, running, done) or a new one, queued."""
    key = document_key(kind=kind, fmt=fmt, params=params, fingerprint=fingerprint)
    with transaction.atomic():
        job, created = GeneratedDocument.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "fmt": fmt,
                "params": params,
                "title": title,
                "filename": filename,
                "content_type": CONTENT_TYPES[fmt],
                "plan": plan,
                "requested_by": user,
            },
        )
        if created:
            transaction.on_commit(lambda: generate_document.enqueue(job.pk))
    return check_stale(job)


def check_stale(job: GeneratedDocument) -> GeneratedDocument:
    """A running job whose worker stopped beating is failed, with a message, so it can be retried."""
    if (
        job.status == GeneratedDocument.Status.RUNNING
        and job.heartbeat_at
        and timezone.now() - job.heartbeat_at > _stale_after()
    ):
        GeneratedDocument.objects.filter(
            pk=job.pk, status=GeneratedDocument.Status.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(
            status=GeneratedDocument.Status.FAILED,
            message=_(
                "Tiến trình tạo tệp đã dừng giữa chừng (máy chủ hoặc tiến trình nền vừa khởi động lại). Hãy bấm “Thử lại”."
            ),
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
    return job


def waiting_too_long(job: GeneratedDocument) -> bool:
    """Queued for minutes with nobody picking it up: is the worker running?"""
    return (
        job.status == GeneratedDocument.Status.QUEUED
        and timezone.now() - job.created_at > datetime.timedelta(minutes=3)
    )


@transaction.atomic
def retry_document(*, job: GeneratedDocument) -> GeneratedDocument:
    updated = GeneratedDocument.objects.filter(
        pk=job.pk, status=GeneratedDocument.Status.FAILED
    ).update(
        status=GeneratedDocument.Status.QUEUED,
        progress=0,
        message="",
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    if updated:
        transaction.on_commit(lambda: generate_document.enqueue(job.pk))
    job.refresh_from_db()
    return job

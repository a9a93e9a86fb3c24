"""Housekeeping: old task results and background documents go, expired log-in sessions, and the
outbox's sent messages, so the database and the media directory do not grow without end. A generated document is a cache (the same request makes it
again), never the record of anything: issued documents and signatures live elsewhere."""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports.summaries.models import GeneratedDocument
from web.models import OutgoingMail

logger = logging.getLogger(__name__)

GENERATED_DIR = "generated"


@dataclass(frozen=True)
class PruneReport:
    task_results: int
    documents: int
    files: int  # files removed from storage: those of the documents, plus orphans
    bytes: int
    sessions: int  # expired log-in sessions (useless from the moment they expire)
    mails: int = 0  # sent messages of the outbox (those not delivered stay, for staff to see)


def prune(*, older_than: datetime.timedelta, dry_run: bool) -> PruneReport:
    """Delete finished task results and generated documents (rows and files) older than
    `older_than`, and files under generated/ that no document refers to and that are as old.
    A document's age counts from when it finished (or was asked for, if it never finished).
    With `dry_run`, count only."""
    cutoff = timezone.now() - older_than
    results = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    documents = GeneratedDocument.objects.annotate(
        age_from=Coalesce("finished_at", "created_at")
    ).filter(age_from__lt=cutoff)
    doomed_files = [name for name in documents.values_list("file", flat=True) if name]
    kept = set(
        GeneratedDocument.objects.exclude(pk__in=documents.values("pk"))
        .exclude(file="")
        .values_list("file", flat=True)
    )
    doomed_files += [
        name
        for name in _generated_files()
        if name not in kept
        and name not in doomed_files
        and default_storage.get_modified_time(name) < cutoff
    ]
    existing = [name for name in doomed_files if default_storage.exists(name)]
    size = sum(default_storage.size(name) for name in existing)
    expired = Session.objects.filter(expire_date__lt=timezone.now())
    sent = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT, sent_at__lt=cutoff)
    report = PruneReport(
        task_results=results.count(),
        documents=documents.count(),
        files=len(existing),
        bytes=size,
        sessions=expired.count(),
        mails=sent.count(),
    )
    if dry_run:
        return report
    with transaction.atomic():
        results.delete()
        documents.delete()
        sent.delete()
    expired.delete()  # what `manage.py clearsessions` does
    # Files after the rows: a crash in between leaves orphans, which the next run removes.
    for name in existing:
        default_storage.delete(name)
    logger.info(
        "pruned older than %s days: %s task results, %s documents, %s files (%s bytes); "
        "%s expired sessions; %s sent mails",
        older_than.days,
        report.task_results,
        report.documents,
        report.files,
        report.bytes,
        report.sessions,
        report.mails,
    )
    return report


def _generated_files() -> list[str]:
    try:
        _dirs, files = default_storage.listdir(GENERATED_DIR)
    except FileNotFoundError:
        return []
    return [f"{GENERATED_DIR}/{name}" for name in files]

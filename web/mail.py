"""E-mail through the task worker. `queue_mail` writes the message to the outbox and, once the
transaction commits, enqueues its delivery; `deliver_mail` (a task) sends it with the connection
timeout EMAIL_TIMEOUT and, on failure, tries again later (BONTOT_MAIL_RETRY_MINUTES) before
marking it failed, which the committee's staff then see on their home page. A delivery whose
task was lost (a task table restored without it, a worker killed while sending) is found and
queued again by `requeue_lost_mail`, which the worker's heartbeat runs every minute; sent
messages are deleted by `manage.py prune` after its period (default 30 days)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from web.models import OutgoingMail

logger = logging.getLogger(__name__)


def queue_mail(*, kind: str, subject: str, body: str, recipients: list[str], scope_path: str = ""):
    if not recipients:
        return None
    mail = OutgoingMail.objects.create(
        kind=kind, subject=subject[:300], body=body, recipients=recipients, scope_path=scope_path
    )
    transaction.on_commit(lambda: deliver_mail.enqueue(mail.pk))
    return mail


@task()
def deliver_mail(mail_id: int) -> str:
    # Claimed by one conditional UPDATE: a second run of the same task finds nothing to send.
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.QUEUED).update(
        status=OutgoingMail.Status.SENDING, attempts=F("attempts") + 1, attempted_at=timezone.now()
    )
    if not claimed:
        return "nothing to send"
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        send_mail(mail.subject, mail.body, None, list(mail.recipients))
    except Exception as error:  # noqa: BLE001 - any failure of the mail server is retried
        logger.warning("mail %s: attempt %s failed: %s", mail.pk, mail.attempts, error)
        mail.last_error = f"{error.__class__.__name__}: {error}"[:500]
        delays = settings.BONTOT_MAIL_RETRY_MINUTES
        if mail.attempts > len(delays):
            mail.status = OutgoingMail.Status.FAILED
            mail.save(update_fields=["last_error", "status"])
            return "failed"
        mail.status = OutgoingMail.Status.QUEUED
        mail.save(update_fields=["last_error", "status"])
        later = timezone.now() + datetime.timedelta(minutes=delays[mail.attempts - 1])
        deliver_mail.using(run_after=later).enqueue(mail.pk)
        return "retry"
    mail.status, mail.sent_at = OutgoingMail.Status.SENT, timezone.now()
    mail.save(update_fields=["status", "sent_at", "last_error"])
    return "sent"


# A message "sending" for this long has lost its worker (one attempt lasts at most EMAIL_TIMEOUT
# for the connection and as much again for the data).
SENDING_LOST_AFTER = datetime.timedelta(minutes=10)
# A message queued this long ago with no delivery task waiting for it has lost its task. (The task
# is queued when the message's transaction commits: a few seconds, not minutes.)
QUEUED_LOST_AFTER = datetime.timedelta(minutes=5)


def requeue_lost_mail(*, now: datetime.datetime | None = None) -> int:
    """Queue again the deliveries of messages that no task will deliver: queued with no
    delivery task waiting or running for them, or stuck "sending" after the worker that sent
    them died. Returns how many. Each one is claimed by a conditional UPDATE, so two runs at once
    queue each message once; a task that does turn up finds the message claimed or sent."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    pending = set()
    for args_kwargs in DBTaskResult.objects.filter(
        task_path=deliver_mail.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True):
        pending.update(args_kwargs.get("args", [])[:1])
    lost = list(
        OutgoingMail.objects.filter(
            status=OutgoingMail.Status.QUEUED, created_at__lt=now - QUEUED_LOST_AFTER
        )
        .exclude(pk__in=pending)
        .values_list("pk", flat=True)
    )
    stuck = list(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.SENDING)
        .filter(Q(attempted_at__lt=now - SENDING_LOST_AFTER) | Q(attempted_at__isnull=True))
        .filter(created_at__lt=now - SENDING_LOST_AFTER)
        .values_list("pk", flat=True)
    )
    requeued = 0
    for pk, status in [(pk, OutgoingMail.Status.QUEUED) for pk in lost] + [
        (pk, OutgoingMail.Status.SENDING) for pk in stuck
    ]:
        with transaction.atomic():
            # The claim: still in the state it was found in (a task may have taken it since).
            claimed = (
                OutgoingMail.objects.filter(pk=pk, status=status)
                .exclude(pk__in=pending if status == OutgoingMail.Status.QUEUED else [])
                .update(status=OutgoingMail.Status.QUEUED, attempted_at=now)
            )
            if claimed:
                logger.warning("mail %s: its delivery was lost; queued again", pk)
                transaction.on_commit(lambda pk=pk: deliver_mail.enqueue(pk))
                requeued += 1
    return requeued


def undelivered_for(paths: list[str]):
    """The messages about organizations under any of `paths` that could not be delivered, or
    still wait an hour after they were written (a worker that is not running, a lost task)."""
    if not paths:
        return OutgoingMail.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(scope_path__startswith=path)
    stale = timezone.now() - datetime.timedelta(hours=1)
    return OutgoingMail.objects.filter(condition).filter(
        Q(status=OutgoingMail.Status.FAILED)
        | Q(
            status__in=[OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENDING],
            created_at__lt=stale,
        )
    )

"""E-mail through the task worker. `queue_mail` writes the message to the outbox and, once the
transaction commits, enqueues its delivery; `deliver_mail` (a task) sends it with the connection
timeout EMAIL_TIMEOUT and, on failure, tries again later (BONTOT_MAIL_RETRY_MINUTES) before
marking it failed, which the committee's staff then see on their home page."""

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
        status=OutgoingMail.Status.SENDING, attempts=F("attempts") + 1
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

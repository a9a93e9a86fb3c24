"""Mail through the task worker (web/mail.py): a request that causes a notice only writes it to
the outbox; the worker delivers it with a timeout, retries a failed delivery, and a message that
cannot be delivered is shown to the committee's staff."""

import socket
import threading
import time

from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.conftest import sign_pledge_directly
from web.mail import deliver_mail
from web.models import OutgoingMail


def run_worker():
    """Run the queued deliveries as the worker would: each queued deliver_mail task, in order.
    (In-process and inside the test's transaction, so it works on PostgreSQL too, where a real
    `db_worker` run closes the test's connection; the worker itself is tested in test_ops.)"""
    from django_tasks_db.models import DBTaskResult

    queued = (
        DBTaskResult.objects.ready()  # due now: a retry for later waits
        .filter(task_path=deliver_mail.module_path)
        .order_by("enqueued_at")
    )
    for result in queued:
        deliver_mail.call(*result.args_kwargs["args"])
        DBTaskResult.objects.filter(pk=result.pk).update(status="SUCCESSFUL")


def _sign(world, live_plan, django_capture_on_commit_callbacks):
    from pledges import services

    world.users["staff"].email = "staff@example.vn"
    world.users["staff"].save()
    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        sign_pledge_directly(world, registration)


def test_a_signing_queues_its_notice_and_the_worker_delivers_it(
    world, live_plan, django_capture_on_commit_callbacks
):
    _sign(world, live_plan, django_capture_on_commit_callbacks)
    queued = OutgoingMail.objects.get()
    assert queued.status == "queued" and mail.outbox == []  # nothing sent inside the request
    run_worker()
    queued.refresh_from_db()
    assert queued.status == "sent" and queued.attempts == 1
    assert mail.outbox[0].to == ["staff@example.vn"] and "đã ký" in mail.outbox[0].subject


class _Stalling:
    """A mail server that accepts the connection and never says a word."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.server.accept()[0])
            except OSError:
                return

    def close(self):
        self.server.close()
        for connection in self.held:
            connection.close()


def test_a_stalled_mail_server_costs_a_timeout_in_the_worker_and_a_retry(
    world, live_plan, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    _sign(world, live_plan, django_capture_on_commit_callbacks)
    queued = OutgoingMail.objects.get()
    stalled = _Stalling()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=stalled.port,
            EMAIL_TIMEOUT=1,
        ):
            started = time.monotonic()
            assert deliver_mail.call(queued.pk) == "retry"
            assert time.monotonic() - started < 5  # the timeout, not a hung worker
    finally:
        stalled.close()
    queued.refresh_from_db()
    assert queued.status == "queued" and queued.attempts == 1 and "timed out" in queued.last_error
    retry = DBTaskResult.objects.filter(args_kwargs__args=[queued.pk]).order_by("-pk").first()
    assert retry is not None and retry.run_after is not None  # tried again later


@override_settings(EMAIL_BACKEND="tests.test_mail.RefusingBackend")
def test_a_message_that_cannot_be_delivered_is_shown_to_the_committees_staff(
    world, live_plan, django_capture_on_commit_callbacks, login
):
    _sign(world, live_plan, django_capture_on_commit_callbacks)
    queued = OutgoingMail.objects.get()
    for _attempt in range(len(settings.BONTOT_MAIL_RETRY_MINUTES) + 1):
        deliver_mail.call(queued.pk)
    queued.refresh_from_db()
    assert queued.status == "failed" and "Connection refused" in queued.last_error
    page = login(world.users["staff"]).get(reverse("home")).content.decode()
    assert "thư thông báo chưa gửi được" in page
    # The secretary, whose branch it is about but who is not staff, is not shown it.
    page = login(world.users["secretary_own"]).get(reverse("home")).content.decode()
    assert "thư thông báo chưa gửi được" not in page


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


def test_the_smtp_connection_has_a_timeout():
    from django.core.mail import get_connection

    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert connection.timeout == settings.EMAIL_TIMEOUT > 0


def _outbox(**fields) -> OutgoingMail:
    return OutgoingMail.objects.create(
        kind="test", subject="Thông báo", body="Nội dung", recipients=["a@example.vn"], **fields
    )


def _age(mail_row, **ago):
    import datetime

    from django.utils import timezone

    OutgoingMail.objects.filter(pk=mail_row.pk).update(
        created_at=timezone.now() - datetime.timedelta(**ago)
    )


def test_a_lost_delivery_is_queued_again_by_the_heartbeat_and_sent_once(
    db, django_capture_on_commit_callbacks
):
    """A message whose task is gone (a restored task table, a killed worker) is found by the
    worker's heartbeat, queued again and delivered once; one whose task still waits (a retry
    later) or that was just written is left alone."""
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from web.health import worker_heartbeat
    from web.mail import requeue_lost_mail

    lost = _outbox()
    _age(lost, minutes=30)
    stuck = _outbox(status=OutgoingMail.Status.SENDING, attempts=1)
    _age(stuck, minutes=30)
    OutgoingMail.objects.filter(pk=stuck.pk).update(
        attempted_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    fresh = _outbox()  # its task is queued when its transaction commits: not lost
    waiting = _outbox()
    _age(waiting, minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_mail.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(
            waiting.pk
        )
    sent = _outbox(status=OutgoingMail.Status.SENT)
    _age(sent, minutes=30)

    with django_capture_on_commit_callbacks(execute=True):
        worker_heartbeat.call()
    tasks = DBTaskResult.objects.filter(task_path=deliver_mail.module_path, status="READY")
    queued_for = sorted(args["args"][0] for args in tasks.values_list("args_kwargs", flat=True))
    assert queued_for == sorted([lost.pk, stuck.pk, waiting.pk])
    # A second pass finds their tasks waiting: nothing is queued twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_mail() == 0
    run_worker()
    assert len(mail.outbox) == 2  # the lost and the stuck message, once each
    assert OutgoingMail.objects.get(pk=fresh.pk).status == "queued"
    assert OutgoingMail.objects.get(pk=waiting.pk).status == "queued"  # its hour is not up


def test_prune_deletes_sent_messages_after_its_period_and_keeps_the_undelivered(db):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(days=40)
    old_sent = _outbox(status=OutgoingMail.Status.SENT, sent_at=long_ago)
    recent_sent = _outbox(status=OutgoingMail.Status.SENT, sent_at=timezone.now())
    failed = _outbox(status=OutgoingMail.Status.FAILED)
    _age(failed, days=40)
    out = io.StringIO()
    call_command("prune", "--days", "30", stdout=out)
    assert "1 thư đã gửi" in out.getvalue()
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {recent_sent.pk, failed.pk}
    assert not OutgoingMail.objects.filter(pk=old_sent.pk).exists()

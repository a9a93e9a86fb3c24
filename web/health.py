"""Health endpoints (/healthz, /livez, /robots.txt), and: is a task worker (`manage.py db_worker`) taking tasks? django-tasks-db keeps no worker register,
so the answer comes from the task table itself: a task that has been due for longer than
BONTOT_WORKER_STALE_SECONDS with nobody taking it means no worker is running. An idle worker
would leave nothing to look at, so a heartbeat task keeps one task due at all times: each beat
queues the next one."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from web.counters import counters_ok
from web.mail import requeue_lost_mail

_KEEP_BEATS = datetime.timedelta(hours=1)


@task()
def worker_heartbeat() -> str:
    """Queue the next beat (unless one is queued already), forget beats older than an hour, and
    queue again the mail deliveries whose task was lost (web.mail.requeue_lost_mail)."""
    now = timezone.now()
    requeue_lost_mail(now=now)
    beats = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)
    beats.finished().filter(finished_at__lt=now - _KEEP_BEATS).delete()
    if not beats.filter(status=TaskResultStatus.READY).exists():
        interval = datetime.timedelta(seconds=settings.BONTOT_WORKER_HEARTBEAT_SECONDS)
        worker_heartbeat.using(run_after=now + interval).enqueue()
    return now.isoformat()


@dataclass(frozen=True)
class WorkerStatus:
    ok: bool
    last_seen: datetime.datetime | None  # a worker last finished a task then
    waiting_seconds: int  # how long the longest-waiting due task has waited
    busy: bool  # a task is running (a long document may take up to BONTOT_RENDER_TIMEOUT)


def worker_status(*, now: datetime.datetime | None = None) -> WorkerStatus:
    """Whether the worker keeps up: no due task has waited longer than the limit, or a worker is
    busy with a task started within the render time limit. Starts the heartbeat chain if it is
    not running (first call after installation, or a beat lost with a killed worker)."""
    now = now or timezone.now()
    stale = datetime.timedelta(seconds=settings.BONTOT_WORKER_STALE_SECONDS)
    results = DBTaskResult.objects.all()
    if not results.filter(
        task_path=worker_heartbeat.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists():
        worker_heartbeat.enqueue()
    due = results.ready()
    # A task queued without a time has run_after at the far end of the calendar: it has been due
    # since it was queued.
    queued = (
        due.filter(run_after=get_date_max())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    deferred = (
        due.exclude(run_after=get_date_max())
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    waiting_since = min((t for t in (queued, deferred) if t is not None), default=now)
    busy_limit = datetime.timedelta(seconds=settings.BONTOT_RENDER_TIMEOUT) + stale
    busy = results.running().filter(started_at__gte=now - busy_limit).exists()
    last_seen = results.finished().aggregate(t=Max("finished_at"))["t"]
    waiting = max(now - waiting_since, datetime.timedelta(0))
    return WorkerStatus(
        ok=waiting <= stale or busy,
        last_seen=last_seen,
        waiting_seconds=int(waiting.total_seconds()),
        busy=busy,
    )


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers and a task worker keeps up; 503 otherwise. `?scope=web`
    checks the database only (for a load balancer choosing among application servers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        worker = None if request.GET.get("scope") == "web" else worker_status()
    except Exception as error:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse(
            {"status": "error", "database": str(error.__class__.__name__)}, status=503
        )
    body = {"status": "ok", "database": "ok"}
    # The rate-limit counters: without them the limits are off (the site still serves).
    body["counters"] = "ok" if counters_ok() else "unavailable"
    if worker is not None:
        body["worker"] = "ok" if worker.ok else "stale"
        body["worker_last_seen"] = worker.last_seen.isoformat() if worker.last_seen else None
        body["worker_busy"] = worker.busy
        body["queue_waiting_seconds"] = worker.waiting_seconds
        if not worker.ok:
            body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def livez(request):
    """200 while the process serves requests, without touching the database: the liveness probe
    (restart when it fails), beside /healthz, the readiness probe."""
    return HttpResponse("ok", content_type="text/plain")


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")

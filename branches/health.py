"""Is a task worker (`manage.py db_worker`) taking tasks? django-tasks-db keeps no worker register,
so the answer comes from the task table itself: a task that has been due for longer than
BONTOT_WORKER_STALE_SECONDS with nobody taking it means no worker is running. An idle worker
would leave nothing to look at, so a heartbeat task keeps one task due at all times: each beat
queues the next one."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

_KEEP_BEATS = datetime.timedelta(hours=1)


@task()
def worker_heartbeat() -> str:
    """Queue the next beat (unless one is queued already) and forget beats older than an hour."""
    now = timezone.now()
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

"""Operations: /healthz (database and task worker), structured logs with a request id, `prune`."""

import datetime
import io
import json
import logging
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import path, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from config.urls import urlpatterns as real_urlpatterns
from reports.summaries.models import GeneratedDocument
from reports.summaries.tasks import generate_document
from web.health import worker_heartbeat


def _boom(request):
    raise RuntimeError("hỏng ở đây")


# The real URLs plus one view that fails, for the error-logging test (pytest.mark.urls).
urlpatterns = [path("ops-test/boom/", _boom), *real_urlpatterns]


def _run_worker():
    call_command(
        "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
    )


def _age(result: DBTaskResult, *, minutes: int):
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


# /healthz ---------------------------------------------------------------------------------------


def test_first_healthz_starts_the_heartbeat_and_is_healthy(client, db):
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"] == "ok" and body["worker"] == "ok"
    assert body["worker_last_seen"] is None
    beat = DBTaskResult.objects.get(task_path=worker_heartbeat.module_path)
    assert beat.status == "READY"
    client.get(reverse("healthz"))
    assert DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path).count() == 1


def test_healthz_fails_when_a_task_waits_with_no_worker_taking_it(client, db, settings):
    settings.BONTOT_WORKER_STALE_SECONDS = 300
    client.get(reverse("healthz"))
    _age(DBTaskResult.objects.get(), minutes=6)
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error" and body["database"] == "ok" and body["worker"] == "stale"
    assert body["queue_waiting_seconds"] >= 360
    # A load balancer asking about the application server alone still gets 200.
    assert client.get(reverse("healthz") + "?scope=web").status_code == 200


def test_a_waiting_document_also_makes_the_worker_stale(client, db, world, plan):
    job = GeneratedDocument.objects.create(
        key="k", kind="summary", fmt="pdf", title="t", plan=plan, filename="b.pdf"
    )
    result = generate_document.enqueue(job.pk)
    _age(DBTaskResult.objects.get(pk=result.id), minutes=10)
    assert client.get(reverse("healthz")).status_code == 503


@pytest.mark.django_db(transaction=True)
def test_a_worker_run_makes_healthz_healthy_again_and_keeps_one_beat_queued(client, settings):
    client.get(reverse("healthz"))
    _age(DBTaskResult.objects.get(), minutes=10)
    assert client.get(reverse("healthz")).status_code == 503
    _run_worker()
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["worker_last_seen"] is not None and body["queue_waiting_seconds"] == 0
    beats = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)
    assert beats.filter(status="SUCCESSFUL").count() == 1
    queued = beats.get(status="READY")  # the next beat, in the heartbeat interval
    wait = queued.run_after - timezone.now()
    assert (
        datetime.timedelta(seconds=30)
        < wait
        <= datetime.timedelta(seconds=settings.BONTOT_WORKER_HEARTBEAT_SECONDS)
    )


@pytest.mark.django_db(transaction=True)
def test_two_heartbeat_chains_merge_into_one():
    worker_heartbeat.enqueue()
    worker_heartbeat.enqueue()
    _run_worker()
    beats = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)
    assert beats.filter(status="SUCCESSFUL").count() == 2
    assert beats.filter(status="READY").count() == 1


def test_a_worker_busy_with_a_long_document_is_not_stale(client, db, world, plan):
    client.get(reverse("healthz"))
    _age(DBTaskResult.objects.get(), minutes=10)
    job = GeneratedDocument.objects.create(
        key="k", kind="summary", fmt="pdf", title="t", plan=plan, filename="b.pdf"
    )
    running = generate_document.enqueue(job.pk)
    DBTaskResult.objects.filter(pk=running.id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(minutes=8)
    )
    body = client.get(reverse("healthz")).json()
    assert body["worker"] == "ok" and body["worker_busy"] is True
    # A task "running" for longer than any render may take was left by a killed worker.
    DBTaskResult.objects.filter(pk=running.id).update(
        started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert client.get(reverse("healthz")).status_code == 503


# Logs -------------------------------------------------------------------------------------------


@pytest.fixture
def json_logs():
    """The console handler the project's LOGGING set up (its filters included), switched to the
    production JSON formatter and writing to a buffer; yields a function returning the records."""
    (handler,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    buffer = io.StringIO()
    old_stream, old_formatter = handler.setStream(buffer), handler.formatter
    handler.setFormatter(import_string(settings.LOGGING["formatters"]["json"]["()"])())

    def records():
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield records
    handler.setStream(old_stream)
    handler.setFormatter(old_formatter)


@pytest.mark.urls("tests.test_ops")
def test_an_error_is_logged_as_json_with_request_id_user_and_path(world, login, json_logs):
    client = login(world.users["staff"])
    client.raise_request_exception = False
    response = client.get("/ops-test/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    errors = [r for r in json_logs() if r["level"] == "ERROR"]
    assert len(errors) == 1
    error = errors[0]
    assert error["logger"] == "django.request"
    assert error["request_id"] == request_id
    assert error["path"] == "/ops-test/boom/" and error["method"] == "GET"
    assert error["user_id"] == world.users["staff"].pk
    assert error["status_code"] == 500
    assert "RuntimeError: hỏng ở đây" in error["exc_info"]
    assert "time" in error and "request" not in error


def test_the_request_id_from_the_proxy_is_kept_and_logged(client, db, json_logs, settings):
    settings.LOG_REQUESTS = True
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="nginx-7f3a")
    assert response["X-Request-ID"] == "nginx-7f3a"
    lines = [r for r in json_logs() if r["logger"] == "log_request_id.middleware"]
    assert [r["request_id"] for r in lines] == ["nginx-7f3a"]
    assert "path=/accounts/login/ status=200" in lines[0]["message"]


# prune ------------------------------------------------------------------------------------------


def _document(
    plan, key: str, *, days_old: int, content: bytes = b"%PDF-1.4 x"
) -> GeneratedDocument:
    job = GeneratedDocument(
        key=key,
        kind="summary",
        fmt="pdf",
        title=key,
        plan=plan,
        filename=f"{key}.pdf",
        content_type="application/pdf",
        status=GeneratedDocument.Status.READY,
    )
    job.file.save(f"{key}.pdf", ContentFile(content))
    finished = timezone.now() - datetime.timedelta(days=days_old)
    GeneratedDocument.objects.filter(pk=job.pk).update(finished_at=finished)
    _set_mtime(job.file.name, finished)
    job.refresh_from_db()
    return job


def _set_mtime(name: str, when: datetime.datetime):
    os.utime(default_storage.path(name), (when.timestamp(), when.timestamp()))


def _finished_task(days_old: int) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=worker_heartbeat.enqueue().id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return result


def test_prune_deletes_old_task_results_documents_and_orphan_files(world, plan):
    old = _document(plan, "cu", days_old=40, content=b"%PDF-1.4 " + b"x" * 91)
    recent = _document(plan, "moi", days_old=2)
    orphan = default_storage.save("generated/mo-coi.pdf", ContentFile(b"12345"))
    _set_mtime(orphan, timezone.now() - datetime.timedelta(days=50))
    fresh_orphan = default_storage.save("generated/dang-ghi.pdf", ContentFile(b"1"))
    old_task, recent_task = _finished_task(40), _finished_task(1)
    queued_task = DBTaskResult.objects.get(pk=worker_heartbeat.enqueue().id)

    out = io.StringIO()
    call_command("prune", "--days", "30", "--dry-run", stdout=out)
    assert (
        "Sẽ xóa (cũ hơn 30 ngày): 1 kết quả tác vụ nền, 1 tài liệu tạo nền, 2 tệp (105 byte)"
        in (out.getvalue())
    )
    assert GeneratedDocument.objects.count() == 2 and DBTaskResult.objects.count() == 3
    assert default_storage.exists(old.file.name) and default_storage.exists(orphan)

    out = io.StringIO()
    call_command("prune", "--days", "30", stdout=out)
    assert "Đã xóa (cũ hơn 30 ngày): 1 kết quả tác vụ nền, 1 tài liệu tạo nền, 2 tệp" in (
        out.getvalue()
    )
    assert list(GeneratedDocument.objects.all()) == [recent]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        recent_task.pk,
        queued_task.pk,
    }
    assert not default_storage.exists(old.file.name) and not default_storage.exists(orphan)
    assert default_storage.exists(recent.file.name) and default_storage.exists(fresh_orphan)
    assert old_task.pk not in set(DBTaskResult.objects.values_list("pk", flat=True))


def test_prune_deletes_expired_sessions_only(world, client):
    from django.contrib.sessions.models import Session

    client.force_login(world.users["staff"])
    live = client.cookies["sessionid"].value
    Session.objects.create(
        session_key="het-han-" + "x" * 24,
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(minutes=1),
    )
    out = io.StringIO()
    call_command("prune", "--days", "30", "--dry-run", stdout=out)
    assert "1 phiên đăng nhập đã hết hạn" in out.getvalue() and Session.objects.count() == 2
    call_command("prune", "--days", "30", stdout=io.StringIO())
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert client.get("/").status_code == 200  # the live session still works


def test_prune_leaves_a_document_being_made_today_alone(world, plan):
    job = GeneratedDocument.objects.create(
        key="k", kind="summary", fmt="pdf", title="t", plan=plan, filename="b.pdf"
    )
    call_command("prune", "--days", "1", stdout=io.StringIO())
    assert GeneratedDocument.objects.filter(pk=job.pk).exists()

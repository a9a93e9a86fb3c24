"""The rate-limit counters are shared and atomic (Redis, web/counters.py): requests racing in
parallel get exactly the limit, the configuration is guarded by django-ratelimit's own check, and a
Redis that does not answer costs the limits, not the site."""

import threading

from django.core import checks
from django.test import RequestFactory, override_settings
from django_ratelimit.exceptions import Ratelimited

from partydocs.views import verify_upload


@override_settings(BONTOT_RATE_VERIFY_UPLOAD="7/m")
def test_parallel_requests_get_exactly_the_limit(db):
    outcomes, barrier = [], threading.Barrier(16)

    def post():
        request = RequestFactory().post("/verify/", {}, REMOTE_ADDR="203.0.113.8")
        barrier.wait()
        try:
            outcomes.append(verify_upload(request).status_code)
        except Ratelimited:
            outcomes.append(429)

    threads = [threading.Thread(target=post) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [200] * 7 + [429] * 9


def test_the_libraries_check_guards_the_counters_cache():
    from django.conf import settings

    found = [e.id for e in checks.run_checks() if e.id.startswith("django_ratelimit")]
    assert [i for i in found if i not in settings.SILENCED_SYSTEM_CHECKS] == []

    broken = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "x"},
    }
    with override_settings(CACHES=broken):
        ids = {e.id for e in checks.run_checks()}
    assert "django_ratelimit.E003" in ids  # a database cache cannot count atomically


def test_when_redis_does_not_answer_requests_go_through_and_health_says_so(db, client):
    from django.conf import settings

    down = {
        "BACKEND": "web.counters.CounterCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(
        CACHES={**settings.CACHES, "ratelimit": down}, BONTOT_RATE_VERIFY_UPLOAD="1/m"
    ):
        statuses = [client.post("/verify/", {}).status_code for _ in range(3)]
        health = client.get("/healthz?scope=web").json()
    assert statuses == [200, 200, 200]
    assert health["counters"] == "unavailable"

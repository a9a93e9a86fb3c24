"""Figures cached under the data version (caching.models).

A key holds the data version read at the start of the request, the user, the day and the
language, and whatever else the figures depend on. The version is read before the figures, so
figures stored under a version are never older than it; any later write gives the version a new
value (database triggers, in the writer's transaction) and the old key is never read again; it
ages out of the cache by its timeout.

The cache is the "figures" alias (FIGURES_CACHE_URL), apart from the rate-limit counters. This is
correct with any cache backend, even the per-process memory cache (every process reads the
version from the shared database on each request); a cache shared by the workers
(FIGURES_CACHE_URL=dbcache://bontot_figures) only makes the hits more frequent.

In front of it, each process keeps the last LOCAL_ENTRIES values it read or computed. What is
stored under a key never changes (a change gives a new key), so a process's own copy is as good
as the shared one and saves the shared cache's round trip on a hit. It holds the pickled bytes,
so that no caller can change what the next one reads."""

import hashlib
import pickle
import secrets
import threading
from collections import OrderedDict

from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from caching.models import DataVersion

TIMEOUT = 3600
LOCAL_ENTRIES = 256

_local: OrderedDict[str, bytes] = OrderedDict()
_local_lock = threading.Lock()


def clear_local() -> None:
    """Forget this process's copies (tests, restore: the data versions may come back)."""
    with _local_lock:
        _local.clear()


def _local_get(key: str):
    with _local_lock:
        data = _local.get(key)
        if data is None:
            return None
        _local.move_to_end(key)
    return pickle.loads(data)


def _local_put(key: str, value) -> None:
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _local_lock:
        _local[key] = data
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def data_version(scope: int = DataVersion.DASHBOARD) -> int | None:
    """The current value of a scope's row, or None when the row is missing (a test's TRUNCATE):
    then nothing is cached until it is back."""
    with connection.cursor() as cursor:  # on every request: without the ORM's compiling
        cursor.execute(f"SELECT value FROM {DataVersion._meta.db_table} WHERE id = %s", [scope])
        row = cursor.fetchone()
    value = row[0] if row else None
    if value is None:
        try:
            with transaction.atomic():
                # A fresh random value: never one some cached figures were stored under.
                DataVersion.objects.create(id=scope, value=secrets.randbelow(2**53))
        except IntegrityError:
            pass
    return value


def _key(name: str, version: int, parts) -> str:
    raw = ":".join(str(p) for p in (name, version, *parts))
    return f"bontot:{name}:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def get_or_compute(name: str, parts: tuple, compute, *, scope: int = DataVersion.DASHBOARD):
    """compute() under the key (name, the scope's version, *parts). The version is read first,
    so what is stored under it is never older than it."""
    version = data_version(scope)
    if version is None:
        return compute()
    k = _key(name, version, parts)
    value = _local_get(k)
    if value is not None:
        return value
    cache = caches["figures"]
    value = cache.get(k)
    if value is None:
        value = compute()
        cache.set(k, value, TIMEOUT)
    _local_put(k, value)
    return value


def cached(name: str, user, parts: tuple, compute):
    """A user's figures: compute() under (name, version, user, today, language, *parts); the
    day because what is late or due soon depends on it."""
    return get_or_compute(
        name,
        (user.pk, timezone.localdate().isoformat(), translation.get_language(), *parts),
        compute,
    )

"""Figures cached under the data version (reports.models.dataversion).

A key holds the data version read at the start of the request, the user, the day and the
language, and whatever else the figures depend on. The version is read before the figures, so
figures stored under a version are never older than it; any later write gives the version a new
value (database triggers, in the writer's transaction) and the old key is never read again; it
ages out of the cache by its timeout.

The cache is the "figures" alias (FIGURES_CACHE_URL), apart from the rate-limit counters. This is
correct with any cache backend, even the per-process memory cache (every process reads the
version from the shared database on each request); a cache shared by the workers
(FIGURES_CACHE_URL=dbcache://bontot_figures) only makes the hits more frequent."""

import hashlib
import secrets

from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from reports.models import DataVersion

TIMEOUT = 3600


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
    cache = caches["figures"]
    value = cache.get(k)
    if value is None:
        value = compute()
        cache.set(k, value, TIMEOUT)
    return value


def cached(name: str, user, parts: tuple, compute):
    """A user's figures: compute() under (name, version, user, today, language, *parts); the
    day because what is late or due soon depends on it."""
    return get_or_compute(
        name,
        (user.pk, timezone.localdate().isoformat(), translation.get_language(), *parts),
        compute,
    )

"""Figures cached under the data version (reports.models.dataversion).

A key holds the data version read at the start of the request, the user, the day and the
language, and whatever else the figures depend on. The version is read before the figures, so
figures stored under a version are never older than it; any later write gives the version a new
value (database triggers, in the writer's transaction) and the old key is never read again; it
ages out of the cache by its timeout.

This is correct with any cache backend, even the per-process memory cache (every process reads
the version from the shared database on each request); a cache shared by the workers
(CACHE_URL=dbcache://… or redis://…) only makes the hits more frequent."""

import hashlib

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from reports.models import DataVersion

TIMEOUT = 3600


def data_version() -> int | None:
    """The current value, or None when the row is missing (a test's TRUNCATE): then nothing is
    cached until it is back."""
    with connection.cursor() as cursor:  # on every request: without the ORM's compiling
        cursor.execute(f"SELECT value FROM {DataVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    value = row[0] if row else None
    if value is None:
        try:
            with transaction.atomic():
                DataVersion.objects.create(id=1, value=1)
        except IntegrityError:
            pass
    return value


def key(name: str, user, *parts) -> str | None:
    version = data_version()
    if version is None:
        return None
    raw = ":".join(
        str(p)
        for p in (
            name,
            version,
            user.pk,
            timezone.localdate().isoformat(),
            translation.get_language(),
            *parts,
        )
    )
    return f"bontot:{name}:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def cached(name: str, user, parts: tuple, compute):
    """compute() under the key (name, version, user, today, language, *parts)."""
    k = key(name, user, *parts)
    if k is None:
        return compute()
    value = cache.get(k)
    if value is None:
        value = compute()
        cache.set(k, value, TIMEOUT)
    return value

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

import contextlib
import contextvars
import hashlib
import pickle
import secrets
import threading
from collections import OrderedDict

from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from caching.models import UNIT_DEPTH, DataVersion, UnitVersion

STEPLEN = 4  # branches.Organization.steplen (caching sits below branches: checked by a test)

TIMEOUT = 3600
LOCAL_ENTRIES = 256

_local: OrderedDict[str, bytes] = OrderedDict()
# Per request, when something records them (web.middleware.ServerTimingMiddleware): how many
# figures were found in a cache and how many were computed.
_outcomes: contextvars.ContextVar[dict | None] = contextvars.ContextVar("figures", default=None)


@contextlib.contextmanager
def recording():
    """{"hit": n, "miss": n} of the figures asked for inside the block."""
    outcomes = {"hit": 0, "miss": 0}
    token = _outcomes.set(outcomes)
    try:
        yield outcomes
    finally:
        _outcomes.reset(token)


def _record(outcome: str) -> None:
    outcomes = _outcomes.get()
    if outcomes is not None:
        outcomes[outcome] += 1


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


def data_version(scope: int = DataVersion.DASHBOARD) -> tuple | None:
    """The version of everything a scope watches (its whole-database row and all its unit
    rows), or None when the row is missing (a test's TRUNCATE): then nothing is cached until it
    is back."""
    return data_versions((scope,))


def data_versions(scopes: tuple[int, ...], under=None) -> tuple | None:
    """What figures of these scopes are keyed by, read in one query: the scopes' whole-database
    rows and, per scope, a digest (count and sum) of the unit rows (`UnitVersion`) the figures
    can depend on. None when a whole-database row is missing.

    `under` says which units: None for all of them; a list of organization paths for the units
    at or under each path and the rows above it (a write attributed to the province committee,
    its plans' registrations at its own level, concerns every commune under it); a user for the
    paths of their roles and of their own member record, found in the same query (a change of
    roles changes the whole-database row; a member moved to another branch changes both units'
    rows). A superuser reaches everything."""
    if under is not None and not isinstance(under, list | tuple) and under.is_superuser:
        under = None
    return _read(scopes, under)


def _unit_condition(under) -> tuple[str, list]:
    if under is None:
        return "", []
    if isinstance(under, list | tuple):
        length = STEPLEN * UNIT_DEPTH
        clauses, params = [], []
        for path in sorted(set(under)):
            if len(path) < length:
                clauses.append("u.root = %s")
                params.append(path[:STEPLEN])
            else:
                prefixes = [path[:n] for n in range(STEPLEN, length + 1, STEPLEN)]
                clauses.append(f"u.unit IN ({', '.join(['%s'] * len(prefixes))})")
                params.extend(prefixes)
        return " AND (" + (" OR ".join(clauses) or "1 = 0") + ")", params
    # A user: the units of the organizations they reach, in SQL (no query of its own).
    reach = (
        "substr(o.path, 1, length(u.unit)) = u.unit OR substr(u.unit, 1, length(o.path)) = o.path"
    )
    return (
        " AND (EXISTS (SELECT 1 FROM branches_roleassignment a JOIN branches_organization o"
        f" ON o.id = a.organization_id WHERE a.user_id = %s AND o.is_active AND ({reach}))"
        " OR EXISTS (SELECT 1 FROM branches_member m JOIN branches_organization o"
        f" ON o.id = m.branch_id WHERE m.user_id = %s AND ({reach})))",
        [under.pk, under.pk],
    )


def _read(scopes: tuple[int, ...], under) -> tuple | None:
    marks = ", ".join(["%s"] * len(scopes))
    sql = f"SELECT id, value, 0, 0 FROM {DataVersion._meta.db_table} WHERE id IN ({marks})"
    condition, extra = _unit_condition(under)
    # The values in two halves: a sum of thousands of whole random values would overflow, and
    # one half alone could leave a new value with the old digest.
    sql += (
        " UNION ALL SELECT -u.scope, COUNT(*), COALESCE(SUM(u.value %% 2147483648), 0),"
        " COALESCE(SUM(u.value / 2147483648), 0)"
        f" FROM {UnitVersion._meta.db_table} u WHERE u.scope IN ({marks}){condition}"
        " GROUP BY u.scope"
    )
    params = [*scopes, *scopes, *extra]
    with connection.cursor() as cursor:  # on every request: without the ORM's compiling
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    values = {row[0]: row[1] for row in rows if row[0] > 0}
    missing = [scope for scope in scopes if values.get(scope) is None]
    for scope in missing:
        try:
            with transaction.atomic():
                # A fresh random value: never one some cached figures were stored under.
                DataVersion.objects.create(id=scope, value=secrets.randbelow(2**53))
        except IntegrityError:
            pass
    if missing:
        return None
    return tuple(sorted(rows))


def _key(name: str, version: int, parts) -> str:
    raw = ":".join(str(p) for p in (name, version, *parts))
    return f"bontot:{name}:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def get_or_compute(
    name: str,
    parts: tuple,
    compute,
    *,
    scope: int | tuple[int, ...] = DataVersion.DASHBOARD,
    under=None,
):
    """compute() under the key (name, the scope's version, *parts). The version is read first,
    so what is stored under it is never older than it. `scope` may name several rows (figures
    read from the tables of both): their versions are read together. `under` (data_versions)
    names the units the figures are computed from: a write in another commune leaves the key
    as it was. The caller answers for it: figures keyed `under` some paths must read nothing
    outside those subtrees but rows attributed to their ancestors or the whole-database
    tables."""
    version = data_versions(scope if isinstance(scope, tuple) else (scope,), under)
    if version is None:
        return compute()
    k = _key(name, version, parts)
    value = _local_get(k)
    if value is not None:
        _record("hit")
        return value
    cache = caches["figures"]
    value = cache.get(k)
    if value is None:
        _record("miss")
        value = compute()
        cache.set(k, value, TIMEOUT)
    else:
        _record("hit")
    _local_put(k, value)
    return value


def cached(name: str, user, parts: tuple, compute, *, scope=DataVersion.DASHBOARD):
    """A user's figures: compute() under (name, version, user, today, language, *parts); the
    day because what is late or due soon depends on it. Keyed by the units the user reaches
    (their roles, their own member record): what a user sees never reaches past them."""
    return get_or_compute(
        name,
        (user.pk, timezone.localdate().isoformat(), translation.get_language(), *parts),
        compute,
        scope=scope,
        under=user,
    )

"""The cache the rate-limit counters live in: Redis, whose INCR is atomic and shared by every
worker process (django-ratelimit's own check refuses per-process memory and the database cache,
which cannot increment atomically, so parallel requests would under-count).

Django's own RedisCache is used, with one change: when Redis cannot be reached the counter
answers "unknown" instead of raising, and django-ratelimit, with RATELIMIT_FAIL_OPEN, lets the
request through. A Redis outage then costs the limits, logged (and shown by /healthz), never the
site on a deadline day."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class CounterCache(RedisCache):
    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            logger.error("rate-limit counters unavailable: %s", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (RedisError, ValueError) as error:
            logger.error("rate-limit counters unavailable: %s", error)
            return None


def counters_ok() -> bool:
    """Whether the counters' Redis answers (for /healthz)."""
    from django.core.cache import caches

    try:
        return bool(caches["ratelimit"]._cache.get_client(write=True).ping())
    except RedisError:
        return False

"""The shared cache (Redis) as a dependency that can fail.

Django's Redis backend raises when Redis does not answer, and every page that reads the
catalogue cache or counts a rate limit would answer 500. This backend keeps the process going
instead: while Redis does not answer, the process uses a cache of its own, in its memory and
bounded (reads miss or find what this process put there; rate-limit counters count here, per
process), logs the outage once, and asks Redis again after `RETRY_SECONDS`. django-redis's
IGNORE_EXCEPTIONS only turns failures into misses: its counters would return nothing, and each
call would wait on Redis again.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long a process leaves Redis alone after it failed to answer: requests in the meantime
# do not each wait on it.
RETRY_SECONDS = 5.0
# The most entries the process keeps of its own meanwhile (LocMemCache culls beyond).
FALLBACK_MAX_ENTRIES = 10_000

# Per Redis address, shared by the threads of the process (each thread has its own backend).
_down_until: dict[str, float] = {}


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        # LocMemCache's storage is per name and process: every thread shares this one.
        self._fallback = LocMemCache(
            f"fail-safe:{self._location}",
            {
                **{k: v for k, v in params.items() if k != "OPTIONS"},
                "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES},
            },
        )

    def degraded(self) -> bool:
        """Whether this process is using its own cache because Redis did not answer."""
        return _down_until.get(self._location, 0) > time.monotonic()

    def available(self) -> bool:
        """Ask Redis now (the health check): True when it answers."""
        try:
            self._cache.get_client().ping()
        except RedisError as exc:
            self._went_down(exc)
            return False
        self._came_back()
        return True

    def _went_down(self, exc: Exception) -> None:
        if self._location not in _down_until:  # once per outage, not once per retry
            logger.warning(
                "the shared cache does not answer (%s): this process uses its own for %.0f s",
                exc,
                RETRY_SECONDS,
            )
        _down_until[self._location] = time.monotonic() + RETRY_SECONDS

    def _came_back(self) -> None:
        if _down_until.pop(self._location, None) is not None:
            logger.warning("the shared cache answers again")

    def _call(self, name: str, *args):
        if not self.degraded():
            try:
                result = getattr(super(), name)(*args)
            except RedisError as exc:
                self._went_down(exc)
            else:
                self._came_back()
                return result
        return getattr(self._fallback, name)(*args)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")

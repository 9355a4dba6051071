"""Rate limits counted in the shared cache (Redis where configured), so that a limit holds
across every web process instead of multiplying with them.

One counter per (scope, who, window): `cache.add` starts it and `cache.incr` counts atomically
(Redis INCR), so parallel requests cannot all read "under the limit" and pass together. The
previous window's count is weighed in by how much of it still overlaps the last `period`
seconds (a sliding window), so a burst across a window edge is not let through twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/minute' -> (10, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def rate_for(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


def hit(scope: str, ident: str, rate: str, *, now: float | None = None) -> Verdict:
    """Count one request of `ident` in `scope` and say whether it is within `rate`."""
    limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window, into = divmod(now, period)
    key = f"throttle:{scope}:{ident}:{int(window)}"
    cache.add(key, 0, timeout=2 * period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * period + 1)
        count = 1
    previous = cache.get(f"throttle:{scope}:{ident}:{int(window) - 1}", 0)
    estimate = previous * (1 - into / period) + count
    return Verdict(allowed=estimate <= limit, retry_after=max(1, int(period - into)))


def client_ip(request) -> str:
    """The client's address as the server saw it. Behind a proxy, production settings name
    how many proxies to trust (REST_FRAMEWORK NUM_PROXIES), as DRF's throttles do."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    if forwarded and proxies:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")

"""Rate limits counted in the shared cache (Redis where configured), so that a limit holds
across every web process instead of multiplying with them.

One counter per (scope, who, window): `cache.add` starts it and `cache.incr` counts atomically
(Redis INCR), so parallel requests cannot all read "under the limit" and pass together. The
previous window's count is weighed in by how much of it still overlaps the last `period`
seconds (a sliding window), so a burst across a window edge is not let through twice.
"""

from __future__ import annotations

import functools
import ipaddress
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
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=2 * period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * period + 1)
        count = 1
    estimate = _with_previous(scope, ident, window, into / period, count)
    return Verdict(allowed=estimate <= limit, retry_after=max(1, int(period - into)))


def counted(scope: str, ident: str, rate: str, *, now: float | None = None) -> float:
    """How many `ident` has in `scope` over the last period of `rate`, without counting one."""
    _limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window, into = divmod(now, period)
    return _with_previous(
        scope, ident, window, into / period, cache.get(_key(scope, ident, window), 0)
    )


def _key(scope: str, ident: str, window: float) -> str:
    return f"throttle:{scope}:{ident}:{int(window)}"


def _with_previous(scope: str, ident: str, window: float, into: float, count: int) -> float:
    previous = cache.get(_key(scope, ident, window - 1), 0)
    return previous * (1 - into) + count


def client_ip(request) -> str:
    """The client's address, for the rate limits and django-axes.

    The peer (REMOTE_ADDR) is the client, unless it is one of our proxies (TRUSTED_PROXIES,
    from FORWARDED_ALLOW_IPS, which gunicorn reads too). Then X-Forwarded-For names the client:
    each of the TRUSTED_PROXY_HOPS proxies appended the address it saw, so the client is that
    many entries from the right; whatever stands further left the client wrote itself.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not (hops and forwarded and _is_trusted_proxy(peer, tuple(settings.TRUSTED_PROXIES))):
        return peer
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return peer
    client = addresses[-min(hops, len(addresses))]
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:  # not an address: not written by a proxy of ours
        return peer


def _is_trusted_proxy(peer: str, trusted: tuple[str, ...]) -> bool:
    if "*" in trusted:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in _networks(trusted))


@functools.cache
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)

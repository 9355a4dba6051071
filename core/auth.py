"""Account lockout after repeated failed logins (django-axes), on every way in: the API token,
the pages' login (Django's auth views) and the admin login.

Axes locks an account out only for the address the wrong passwords came from (its lockout
parameters: user name and address together), so a stranger elsewhere cannot lock its owner
out. Against guessing from many addresses, each account also has a soft limit: past
`login_account` failed logins (a rate: THROTTLE_LOGIN_ACCOUNT) from anywhere, its logins are
spaced `LOGIN_ACCOUNT_DELAY_SECONDS` apart. The owner is asked to wait seconds, not locked out.
"""

from __future__ import annotations

import hashlib
import math
import time

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from core.throttling import counted, hit, parse_rate, rate_for

ACCOUNT_SCOPE = "login_account"


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, then the account's soft limit, first in AUTHENTICATION_BACKENDS.

    Every login the product offers passes the request; a call without one (Django's test
    client `login()`, a management command) has no client to lock out, so it is let through
    to the password check instead of failing with an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs) -> None:
        """Raises to refuse the attempt before its password is checked; never logs anyone in."""
        if request is None:
            return
        super().authenticate(request, username=username, password=password, **kwargs)
        wait = account_login_wait(username)
        if wait:
            # Answered by lockout_response (axes' middleware); axes does not count the attempt
            # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), and neither does the limit.
            request.axes_locked_out = True
            request.login_wait = wait
            raise AxesBackendPermissionDenied("the account's logins are spaced out")


def _account(username: str) -> str:
    return "account:" + hashlib.sha256(username.encode()).hexdigest()[:32]


def account_login_wait(username: str | None, *, now: float | None = None) -> int:
    """Seconds before a login to this account may be tried, 0 for now. Beyond the soft limit,
    one attempt per delay: taking the gate is atomic (cache.add), so parallel attempts cannot
    all pass."""
    rate = rate_for(ACCOUNT_SCOPE)
    if not rate or not username:
        return 0
    now = time.time() if now is None else now
    limit, _period = parse_rate(rate)
    if counted(ACCOUNT_SCOPE, _account(username), rate, now=now) < limit:
        return 0
    delay = settings.LOGIN_ACCOUNT_DELAY_SECONDS
    gate = f"login-gate:{_account(username)}"
    if cache.add(gate, now + delay, timeout=delay):
        return 0
    return max(1, math.ceil(cache.get(gate, now + delay) - now))


def count_failed_login(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed: a wrong password counts towards the account's soft limit; an attempt
    refused before its password was checked (locked out, asked to wait) does not."""
    rate = rate_for(ACCOUNT_SCOPE)
    username = (credentials or {}).get("username")
    if rate and username and not getattr(request, "axes_locked_out", False):
        hit(ACCOUNT_SCOPE, _account(username), rate)


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 with the reason in words: JSON for the API, plain text for a page."""
    wait = getattr(request, "login_wait", None)
    if wait:
        detail = _(
            "Too many failed logins for this account: wait %(seconds)d seconds and try again."
        ) % {"seconds": wait}
        retry_after = wait
    else:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        detail = _(
            "Too many failed logins for this account from your address: try again in "
            "%(minutes)d minutes."
        ) % {"minutes": minutes}
        retry_after = minutes * 60
    headers = {"Retry-After": str(retry_after)}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": detail}, status=429, headers=headers)
    return HttpResponse(
        detail, status=429, content_type="text/plain; charset=utf-8", headers=headers
    )

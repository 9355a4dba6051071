"""Rates for the actions people could flood: per user (filing, escalating, uploading) and per
client address (getting a token, registering). Counted in the shared cache."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from core.throttling import client_ip, hit, rate_for


class _SharedRateThrottle(BaseThrottle):
    """Reads the rate when asked, so settings overrides apply at once (DRF binds
    THROTTLE_RATES at import), and counts with core.throttling's atomic counter."""

    scope_attr = "throttle_scope"

    def ident(self, request, view) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, self.scope_attr, None)
        rate = rate_for(scope) if scope else None
        ident = self.ident(request, view) if rate else None
        if not rate or ident is None:
            return True
        verdict = hit(scope, ident, rate)
        self._retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self):
        return getattr(self, "_retry_after", None)


class ActionRateThrottle(_SharedRateThrottle):
    """Per signed-in user, for the view's `throttle_scope`."""

    def ident(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{client_ip(request)}"


class ClientAddressThrottle(_SharedRateThrottle):
    """Per client address, for endpoints used before anyone is signed in."""

    def ident(self, request, view) -> str | None:
        return f"ip:{client_ip(request)}"

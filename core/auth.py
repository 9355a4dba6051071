"""Account lockout after repeated failed logins (django-axes), on every way in: the API token,
the pages' login (Django's auth views) and the admin login."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, first in AUTHENTICATION_BACKENDS.

    Every login the product offers passes the request; a call without one (Django's test
    client `login()`, a management command) has no client to lock out, so it is let through
    to the password check instead of failing with an error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 with the reason in words: JSON for the API, plain text for a page."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    detail = _(
        "Too many failed logins for this account from your address: try again in %(minutes)d "
        "minutes."
    ) % {"minutes": minutes}
    headers = {"Retry-After": str(minutes * 60)}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": detail}, status=429, headers=headers)
    return HttpResponse(
        detail, status=429, content_type="text/plain; charset=utf-8", headers=headers
    )

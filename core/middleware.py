"""Request bodies are bounded by their declared length before anything reads them."""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RequestBodyLimitMiddleware:
    """Answer 413 for a body longer than allowed, judged by Content-Length alone.

    Django reads no further than Content-Length (LimitedStream), so this bounds what any later
    parser can read: uploads (multipart) up to UPLOAD_MAX_BODY_BYTES, every other body up to
    DATA_UPLOAD_MAX_MEMORY_SIZE. Django itself enforces the latter only when `request.body`
    is read, not when DRF's parsers read the stream.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self._refuse(
                request, 400, "bad_request", "The Content-Length header is not a number."
            )
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/"):
            limit = settings.UPLOAD_MAX_BODY_BYTES
        else:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return self._refuse(
                request,
                413,
                "request_too_large",
                f"The request body is larger than {limit // 1024} KB.",
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, code: str, detail: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "detail": detail}, status=status)
        return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" once its wait ran out (or PostgreSQL's lock timeout)."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return "database is locked" in text or "lock timeout" in text


class DatabaseBusyMiddleware:
    """Pages answer 503 (try again) instead of 500 when the database stayed locked past the
    wait; the API's exception handler does the same for API views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        response = HttpResponse(
            _("Too many changes at once: try again in a moment."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "1"
        return response


class PageRateLimitMiddleware:
    """Limit posts to the login pages (the admin's and the site's) and the sign-up page per
    client address, counted in the shared cache (settings.PAGE_THROTTLES: view name → the
    scope whose rate applies); django-axes locks an account out on top of this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from core.throttling import client_ip, hit, rate_for

        match = request.resolver_match
        if request.method != "POST" or match is None:
            return None
        scope = settings.PAGE_THROTTLES.get(match.view_name)
        rate = rate_for(scope) if scope else None
        if not rate:
            return None
        verdict = hit(scope, f"ip:{client_ip(request)}", rate)
        if verdict.allowed:
            return None
        response = HttpResponse(
            _("Too many attempts from your address: try again later."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response

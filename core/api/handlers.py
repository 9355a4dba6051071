"""Django's own error answers in the API's JSON for every `/api/` path: a path no route
matches (404), data Django refuses to read (400: too many fields or files), and the 403 and
500 that Django answers itself; each with its code and its words in the request's language.
Pages keep Django's pages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def refusal_of_unreadable_data(exc: SuspiciousOperation) -> tuple[int, dict]:
    """The status and body for a request Django will not read, whatever its kind."""
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return 400, {
            "code": "too_many_fields",
            "detail": _("Send at most %(limit)s fields.") % {"limit": limit},
        }
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return 400, {
            "code": "too_many_files",
            "detail": _("Send at most %(limit)s files.") % {"limit": limit},
        }
    if isinstance(exc, RequestDataTooBig):
        return 413, {"code": "request_too_large", "detail": _("The request body is too large.")}
    return 400, {"code": "bad_request", "detail": _("The request could not be read.")}


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.bad_request(request, exception, template_name)
    status, body = refusal_of_unreadable_data(exception)
    return JsonResponse(body, status=status)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.permission_denied(request, exception, template_name)
    return JsonResponse(
        {"code": "permission_denied", "detail": _("This is not yours to do.")}, status=403
    )


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.page_not_found(request, exception, template_name)
    return JsonResponse({"code": "not_found", "detail": _("Not found.")}, status=404)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if not is_api(request):
        return defaults.server_error(request, template_name)
    return JsonResponse(
        {"code": "server_error", "detail": _("Something went wrong on our side.")}, status=500
    )

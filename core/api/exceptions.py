"""One place that turns every refusal into the API's error answers (SPEC §8).

400 field errors (and data Django will not read) · 401 no credentials · 403 a role that may never do it · 404 another party's
object · 409 a state that does not allow the action · 422 a reused Idempotency-Key ·
429 throttled. Database refusals become 400/409 answers, and a database still busy after
the lock wait 503, rather than 500s. Every error answer carries a `code`: a domain refusal's
own (core.errors), else DRF's (`invalid`, `not_authenticated`, `throttled`, …); its words are
in the request's language.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.handlers import refusal_of_unreadable_data
from core.errors import DomainError, InvalidInput, TransitionNotAllowed
from core.middleware import is_database_busy

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


def domain_error_response(exc: DomainError) -> Response:
    """400 `{field: [message], code}`, 403 `{code, detail}` or 409 `{code, state, detail}`,
    by the kind of refusal its code declares."""
    if isinstance(exc, InvalidInput):
        return Response(
            {exc.field or NON_FIELD: [exc.message], "code": exc.code}, status=exc.status
        )
    if isinstance(exc, TransitionNotAllowed):
        return Response(
            {"code": exc.code, "state": exc.state, "detail": exc.message}, status=exc.status
        )
    return Response({"code": exc.code, "detail": exc.message}, status=exc.status)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, SuspiciousOperation):  # Django would not read the data (too many fields)
        status_code, body = refusal_of_unreadable_data(exc)
        return Response(body, status=status_code)
    if isinstance(exc, ObjectDoesNotExist):
        return Response(
            {"detail": _("Not found."), "code": exceptions.NotFound.default_code},
            status=status.HTTP_404_NOT_FOUND,
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return Response(
            {**detail, "code": exceptions.ValidationError.default_code},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DataError):
        logger.warning("Refused out-of-range data: %s", exc)
        return Response(
            {NON_FIELD: [_("A value is out of range.")], "code": "out_of_range"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        # A database constraint refused the write: a concurrent change won, or the values
        # break an invariant. Never a 500.
        logger.warning("Refused by a database constraint: %s", exc)
        return Response(
            {"code": "conflict", "detail": _("The change conflicts with the current data.")},
            status=status.HTTP_409_CONFLICT,
        )
    if is_database_busy(exc):
        return database_busy_response()
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = _with_code(response.data, _drf_code(exc))
    return response


def _drf_code(exc: Exception) -> str:
    """The code of an error DRF answers itself (it turns Django's 404 and 403 into its own)."""
    if isinstance(exc, Http404):
        return exceptions.NotFound.default_code
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied.default_code
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _with_code(data, code: str) -> dict:
    if isinstance(data, list):  # a ValidationError raised outside a serializer
        data = {NON_FIELD: data}
    return {**data, "code": data.get("code", code)}


def database_busy_response() -> Response:
    logger.warning("Refused: the database stayed busy past the lock wait.")
    return Response(
        {"code": "busy", "detail": _("Too many changes at once: try again in a moment.")},
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "1"},
    )

"""One place that turns every refusal into the API's error answers (SPEC §8).

400 field errors · 401 no credentials · 403 a role that may never do it · 404 another party's
object · 409 a state that does not allow the action · 422 a reused Idempotency-Key ·
429 throttled. Database refusals become 400/409 answers, and a database still busy after
the lock wait 503, rather than 500s.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, InvalidInput, PermissionDenied, TransitionNotAllowed
from core.middleware import is_database_busy

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


def domain_error_response(exc: DomainError) -> Response:
    if isinstance(exc, TransitionNotAllowed):
        return Response(
            {"code": exc.code, "state": exc.state, "detail": exc.message},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, PermissionDenied):
        return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, InvalidInput) or exc.field:
        return Response({exc.field or NON_FIELD: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, ObjectDoesNotExist):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DataError):
        logger.warning("Refused out-of-range data: %s", exc)
        return Response(
            {NON_FIELD: ["A value is out of range."]}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, IntegrityError):
        # A database constraint refused the write: a concurrent change won, or the values
        # break an invariant. Never a 500.
        logger.warning("Refused by a database constraint: %s", exc)
        return Response(
            {"code": "conflict", "detail": "The change conflicts with the current data."},
            status=status.HTTP_409_CONFLICT,
        )
    if is_database_busy(exc):
        return database_busy_response()
    return drf_exception_handler(exc, context)


def database_busy_response() -> Response:
    logger.warning("Refused: the database stayed busy past the lock wait.")
    return Response(
        {"code": "busy", "detail": "Too many changes at once: try again in a moment."},
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "1"},
    )

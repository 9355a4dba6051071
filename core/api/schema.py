"""Shared pieces of the OpenAPI description: the error answers every action may give."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(required=False),
    },
)
ConflictSerializer = inline_serializer(
    name="TransitionConflict",
    fields={
        "code": serializers.CharField(),
        "state": serializers.CharField(required=False),
        "detail": serializers.CharField(),
    },
)

FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Field errors and the refusal's code: {field: [message, …], code}.",
)
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="No or bad credentials.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Your role may never do this.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such object visible to you.")
CONFLICT = OpenApiResponse(
    ConflictSerializer, description="The current state does not allow the action."
)
KEY_REUSED = OpenApiResponse(
    ErrorSerializer, description="The Idempotency-Key was used for a different request."
)
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests.")


def errors(*codes: int) -> dict:
    """The documented error answers, by status code."""
    table = {
        400: FIELD_ERRORS,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: CONFLICT,
        422: KEY_REUSED,
        429: THROTTLED,
    }
    return {code: table[code] for code in codes}


ACTION_ERRORS = (400, 401, 403, 404, 409, 422, 429)
# A list refuses a bad page, page size or filter (400) and a page past the last (404).
LIST_ERRORS = (400, 401, 404)

"""The Idempotency-Key header on POSTs that move money or state (SPEC §8).

The same key with the same request replays the first answer (status and body) without acting
again; the same key with another request is refused with 422. A refusal (4xx) is not replayed:
the repeat acts again and its answer replaces the stored one, because the state may have changed
since (a refusal moved nothing, so acting again is safe). Keys expire after IDEMPOTENCY_KEY_TTL
(24 hours): an older key counts as new, and core.services.idempotency_keys_purge deletes them.

How it holds under concurrency: in one transaction the key row is INSERTed first, then the
action runs inside a savepoint and its answer is stored on the row, then all commits together.
A concurrent repeat's INSERT waits on the unique index (user, key) until the first commits,
fails, and reads the stored answer. If the first rolls back (a crash), the repeat acts instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.models import IDEMPOTENCY_KEY_TTL, IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# Printable ASCII without spaces, e.g. a UUID: what a header carries unchanged through proxies.
KEY_PATTERN = rf"^[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}$"

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type={"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        f"Send a unique key (1 to {MAX_KEY_LENGTH} printable ASCII characters, no spaces; a "
        "UUID is a good one) to make a retry safe: the same key with the same request replays "
        "the first answer for 24 hours; the same key with another request is refused (422); "
        "a key of other characters or length is refused (400)."
    ),
)


def _file_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return f"file:{upload.name}:{upload.size}:{digest.hexdigest()}"


def _canonical(value):
    if isinstance(value, UploadedFile):
        return _file_digest(value)
    if hasattr(value, "getlist"):  # QueryDict / MultiValueDict (form and multipart bodies)
        return {key: [_canonical(v) for v in value.getlist(key)] for key in sorted(value.keys())}
    if isinstance(value, dict):
        return {str(key): _canonical(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path and the parsed body (so that key order and whitespace
    in JSON do not matter, and uploaded files count by their content)."""
    body = json.dumps(_canonical(request.data), sort_keys=True, cls=JSONEncoder)
    raw = "\0".join([request.method, request.path, body])
    return hashlib.sha256(raw.encode()).hexdigest()


def _mismatch_or_replay(record: IdempotencyKey, fingerprint: str) -> Response | None:
    """The answer to a repeat from its stored record, or None when the repeat must act."""
    if record.fingerprint != fingerprint:
        return Response(
            {
                "code": "idempotency_key_reused",
                "detail": f"This {HEADER} was already used for a different request.",
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if record.response_status is None:  # cannot be seen committed, but answer sensibly
        return Response(
            {"code": "in_progress", "detail": "The first request with this key is still running."},
            status=status.HTTP_409_CONFLICT,
        )
    if record.response_status >= 400:
        return None
    return Response(
        record.response_body, status=record.response_status, headers={REPLAYED_HEADER: "true"}
    )


def _act(view, request, handler, args, kwargs):
    try:
        with transaction.atomic():
            return handler(view, request, *args, **kwargs)
    except Exception as exc:
        # Refusals are answers too; handle_exception re-raises what it cannot answer
        # (and the key is rolled back with it).
        return view.handle_exception(exc)


def idempotent(handler):
    """Decorate an APIView handler (post, or a viewset action) to honour Idempotency-Key."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if not re.fullmatch(KEY_PATTERN, key):
            return Response(
                {
                    HEADER: [
                        _("Send 1 to %(max)s printable ASCII characters, no spaces.")
                        % {"max": MAX_KEY_LENGTH}
                    ],
                    "code": "invalid_idempotency_key",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = request_fingerprint(request)
        now = timezone.now()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        user=request.user, key=key, fingerprint=fingerprint, created_at=now
                    )
            except IntegrityError:
                # Waited for the first request's commit; its row is locked for this repeat.
                record = IdempotencyKey.objects.select_for_update().get(user=request.user, key=key)
                if record.created_at <= now - IDEMPOTENCY_KEY_TTL:  # expired: a new key
                    record.fingerprint = fingerprint
                    record.created_at = now
                    record.response_status = None
                else:
                    answer = _mismatch_or_replay(record, fingerprint)
                    if answer is not None:
                        return answer
            response = _act(view, request, handler, args, kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # let a retry act again
                return response
            record.response_status = response.status_code
            record.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
            record.save(
                update_fields=["fingerprint", "created_at", "response_status", "response_body"]
            )
        return response

    wrapper.idempotent = True
    return wrapper

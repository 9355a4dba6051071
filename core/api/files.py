"""The one way a stored private file leaves the server: an access-checked view that answers
with `private_image`. Whoever may not see the file gets 404 from the view, so that its
existence is not revealed.

The answer carries the checked content type and headers that stop a browser from running it as
a page even if the image hides HTML, and that keep it out of shared caches.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from core.images import EXTENSIONS

CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"


def requester(request):
    """The session's user, or the API token's (so API clients can follow the URLs they get)."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        found = None
    return found[0] if found else request.user


def private_image(file, *, content_type: str, name: str) -> FileResponse:
    """The stored image `file` (a FieldFile) answered inline as `name`.<checked extension>;
    404 when the file is missing."""
    if not file:
        raise Http404("No such file.")
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("No such file.") from exc
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=False,
        filename=f"{name}.{EXTENSIONS[content_type]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

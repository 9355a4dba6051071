"""How a stored image leaves the server: a private one through an access-checked view that
answers with `private_image` (whoever may not see the file gets 404 from the view, so that its
existence is not revealed), a public one (a product's picture) with `public_image`.

Either answer carries the checked content type and headers that stop a browser from running it
as a page even if the image hides HTML; a private one is kept out of every cache.
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
    """The stored image `file` (a FieldFile) answered inline as `name`.<checked extension>,
    for the one who asked only; 404 when the file is missing."""
    response = _image(file, content_type=content_type, name=name)
    response["Cache-Control"] = "private, no-store"
    return response


def public_image(file, *, content_type: str, name: str) -> FileResponse:
    """A public image whose URL always shows the same picture: cacheable by anyone, for good."""
    response = _image(file, content_type=content_type, name=name)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _image(file, *, content_type: str, name: str) -> FileResponse:
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
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

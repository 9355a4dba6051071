"""The one way a stored evidence file leaves the server: through this access-checked view.

Only the two parties of the case and platform staff get it; anyone else (and anonymous) gets
404, so the file's existence is not revealed. It is served with the checked content type and
headers that stop a browser from running it as a page even if the image hides HTML.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from core.images import EXTENSIONS
from disputes.selectors import evidence_visible_to

CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"


def _requester(request):
    """The session's user, or the API token's (so API clients can follow the URLs they get)."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        found = None
    return found[0] if found else request.user


@require_GET
def evidence_file(request, pk: int):
    evidence = evidence_visible_to(_requester(request)).filter(pk=pk).first()
    if evidence is None or not evidence.image:
        raise Http404("No such file.")
    try:
        handle = evidence.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404("No such file.") from exc
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=False,
        filename=f"evidence-{evidence.pk}.{EXTENSIONS[evidence.content_type]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

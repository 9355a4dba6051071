"""Evidence files leave the server only through this access-checked view: the two parties of
the case and platform staff get it; anyone else (and anonymous) gets 404."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from core.api.files import private_image, requester
from disputes.selectors import evidence_visible_to


@require_GET
def evidence_file(request, pk: int):
    evidence = evidence_visible_to(requester(request)).filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such file.")
    return private_image(
        evidence.image, content_type=evidence.content_type, name=f"evidence-{evidence.pk}"
    )

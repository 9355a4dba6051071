"""Evidence files and message photos leave the server only through these access-checked views:
evidence to the two parties of the case and platform staff, a message's photo to those who read
the request's messages (`refunds_in_conversation`); anyone else (and anonymous) gets 404."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from core.api.files import private_image, requester
from disputes.selectors import evidence_visible_to, message_images_visible_to


@require_GET
def evidence_file(request, pk: int):
    evidence = evidence_visible_to(requester(request)).filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such file.")
    return private_image(
        evidence.image, content_type=evidence.content_type, name=f"evidence-{evidence.pk}"
    )


@require_GET
def message_image_file(request, pk: int):
    image = message_images_visible_to(requester(request)).filter(pk=pk).first()
    if image is None:
        raise Http404("No such file.")
    return private_image(image.image, content_type=image.content_type, name=f"message-image-{pk}")

"""Snapshot images leave the server only through this access-checked view: the order's buyer,
its shop's staff and platform staff get them; anyone else (and anonymous) gets 404."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from core.api.files import private_image, requester
from orders.selectors import item_images_visible_to


@require_GET
def snapshot_image(request, pk: int):
    image = item_images_visible_to(requester(request)).filter(pk=pk).first()
    if image is None:
        raise Http404("No such file.")
    return private_image(image.image, content_type=image.content_type, name=f"snapshot-{image.pk}")

"""Product images are public: anyone gets them, by their file's generated name. A name always
shows the same picture (a row's file never changes in place), so the answer may be cached
for good."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from core.api.files import public_image
from merchants.models import ProductImage


@require_GET
def product_image(request, name: str):
    image = ProductImage.objects.filter(image=f"products/{name}").first()
    if image is None:
        raise Http404("No such file.")
    return public_image(image.image, content_type=image.content_type, name=f"product-{image.pk}")

"""A product's pictures are checked and stored exactly as evidence is (core/images.py): by their
content, under generated names, re-encoded without metadata, at most 5 MB and 40 megapixels
each; a product has at most five, in the service and in the database. They are public, served
by their generated name and cacheable for good, never from MEDIA_URL."""

from __future__ import annotations

import io
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from core.errors import InvalidInput
from merchants.models import MAX_PRODUCT_IMAGES, ProductImage
from merchants.services import (
    product_add_images,
    product_create,
    product_move_image,
    product_remove_image,
)
from tests.security.images import (
    HTML,
    image_bytes,
    jpeg_polyglot,
    png_declaring,
    png_polyglot,
    upload,
)
from tests.seller.conftest import client_for

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^products/[0-9a-f]{32}\.(png|jpg|webp)$")


def _files_on_disk(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _served(image: ProductImage):
    return Client().get(reverse("product-image", args=[image.image.name.split("/")[-1]]))


def _pngs(names: str) -> list:
    return [upload(image_bytes(), f"{n}.png") for n in names]


def _refused(product, file) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        product_add_images(product=product, images=[file])
    return refused.value


def test_a_png_with_html_sent_as_x_html_is_stored_and_served_as_a_png(product):
    [image] = product_add_images(product=product, images=[png_polyglot("x.html")])

    served = _served(image)

    assert GENERATED.match(image.image.name)
    assert image.image.name.endswith(".png")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served["Content-Disposition"] == f'inline; filename="product-{image.pk}.png"'
    assert HTML not in b"".join(served.streaming_content)  # re-encoded: only the picture


def test_a_jpeg_polyglot_sent_as_svg_is_stored_as_a_jpeg(product):
    [image] = product_add_images(product=product, images=[jpeg_polyglot("x.svg")])

    assert image.image.name.endswith(".jpg")
    assert image.content_type == "image/jpeg"
    assert _served(image)["Content-Type"] == "image/jpeg"


def test_the_original_name_never_reaches_the_disk_or_a_url(product):
    [image] = product_add_images(
        product=product, images=[upload(image_bytes(), "张三-13800138000.png")]
    )

    assert "13800138000" not in image.image.name
    assert "13800138000" not in _served(image)["Content-Disposition"]


def test_a_photo_reaches_the_catalogue_without_the_phones_gps_and_camera(product):
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Pear Phone 15 Pro"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, format="JPEG", exif=exif)

    [image] = product_add_images(
        product=product, images=[upload(buffer.getvalue(), "p.jpg", "image/jpeg")]
    )

    body = b"".join(_served(image).streaming_content)
    assert b"Pear Phone" not in body
    assert not Image.open(io.BytesIO(body)).getexif()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (HTML, "image_unreadable"),
        (png_declaring(50_000, 50_000), "image_too_many_pixels"),
        (image_bytes("GIF"), "image_format"),
    ],
)
def test_what_evidence_refuses_a_product_refuses_with_the_same_code(
    product, settings, content, code
):
    refused = _refused(product, upload(content, "p.png"))

    assert refused.code == code
    assert refused.field == "images"
    assert not product.images.exists()
    assert _files_on_disk(settings) == []


def test_an_image_over_the_evidence_size_limit_is_refused(product):
    big = upload(image_bytes(), "big.png")
    big.size = 5 * 1024 * 1024 + 1

    assert _refused(product, big).code == "image_too_large"


def test_a_refused_image_in_a_batch_leaves_no_file_nor_row_behind(product, settings):
    with pytest.raises(InvalidInput):
        product_add_images(
            product=product, images=[upload(image_bytes(), "good.png"), upload(HTML, "bad.png")]
        )

    assert not product.images.exists()
    assert _files_on_disk(settings) == []


def test_a_new_product_refused_for_its_images_is_not_created(shop, settings):
    with pytest.raises(InvalidInput):
        product_create(shop=shop, title="Tee", price="9.90", images=[upload(HTML, "bad.png")])

    assert not shop.products.filter(title="Tee").exists()
    assert _files_on_disk(settings) == []


def test_a_product_takes_five_pictures_and_refuses_a_sixth(product, settings):
    product_add_images(product=product, images=_pngs("abc"))

    with pytest.raises(InvalidInput) as refused:
        product_add_images(product=product, images=_pngs("def"))  # three more: six in all
    product_add_images(product=product, images=_pngs("de"))

    assert refused.value.code == "product_image_limit"
    assert refused.value.params == {"limit": MAX_PRODUCT_IMAGES, "given": 3}
    assert list(product.images.values_list("position", flat=True)) == [0, 1, 2, 3, 4]
    assert _refused(product, upload(image_bytes(), "g.png")).code == "product_image_limit"
    assert len(_files_on_disk(settings)) == 5


@pytest.mark.parametrize("position", [5, 2])
def test_the_database_refuses_a_sixth_picture_or_a_shared_position(product, position):
    product_add_images(product=product, images=_pngs("abc"))
    kept = product.images.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProductImage.objects.create(
            product=product,
            position=position,
            image=f"products/{'0' * 32}.png",
            content_type="image/png",
            size=kept.size,
        )


def test_removing_a_picture_moves_the_later_ones_up_and_deletes_its_file(product, settings):
    images = product_add_images(product=product, images=_pngs("abc"))
    names = [i.image.name for i in images]

    product_remove_image(image=images[0])

    assert [(i.position, i.image.name) for i in product.images.all()] == [
        (0, names[1]),
        (1, names[2]),
    ]


def test_the_removed_pictures_file_is_deleted_on_commit(
    product, settings, django_capture_on_commit_callbacks
):
    [image] = product_add_images(product=product, images=[upload(image_bytes(), "a.png")])

    with django_capture_on_commit_callbacks(execute=True):
        product_remove_image(image=image)

    assert _files_on_disk(settings) == []
    assert _served(image).status_code == 404


def test_moving_a_picture_exchanges_places_and_each_url_keeps_its_picture(product):
    red, blue = (io.BytesIO(), io.BytesIO())
    Image.new("RGB", (4, 4), "red").save(red, format="PNG")
    Image.new("RGB", (4, 4), "blue").save(blue, format="PNG")
    first, second = product_add_images(
        product=product,
        images=[upload(red.getvalue(), "red.png"), upload(blue.getvalue(), "blue.png")],
    )
    before = {i.image.name: b"".join(_served(i).streaming_content) for i in (first, second)}

    product_move_image(image=second, offset=-1)
    product_move_image(image=product.images.get(position=0), offset=-1)  # first already: no-op

    after = list(product.images.all())
    assert [i.image.name for i in after] == [second.image.name, first.image.name]
    assert {i.image.name: b"".join(_served(i).streaming_content) for i in after} == before


def test_an_unknown_name_is_404_and_media_url_serves_no_product_picture(product):
    [image] = product_add_images(product=product, images=[upload(image_bytes(), "a.png")])

    assert Client().get(reverse("product-image", args=["0" * 32 + ".png"])).status_code == 404
    assert Client().get(f"/media/{image.image.name}").status_code == 404


def test_the_seller_form_shows_a_refused_picture_beside_the_field_and_keeps_the_typing(
    product, merchant
):
    client = client_for(merchant, "en")

    page = client.post(
        reverse("seller-product-edit", args=[product.pk]),
        {"title": "Jacket II", "price": "120.00", "images": [upload(HTML, "bad.png")]},
    )

    assert page.status_code == 400
    form = page.context["form"]
    assert form.errors["images"] == ["“bad.png” is not a readable image."]
    assert 'value="Jacket II"' in page.content.decode()
    product.refresh_from_db()
    assert product.title == "Jacket"

"""The seller center's product form: a description, a specification and up to five pictures,
uploaded with the product and ordered or removed on its page; the request page shows the
order as it was bought (交易快照) and says when the listing changed since."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from merchants.models import Product
from merchants.services import product_add_images, product_update
from tests.security.images import image_bytes, upload
from tests.seller.conftest import client_for

pytestmark = pytest.mark.django_db


def _pngs(n: int) -> list:
    return [upload(image_bytes(), f"photo-{i}.png") for i in range(n)]


def test_a_merchant_lists_a_product_with_its_description_specification_and_pictures(merchant, shop):
    client = client_for(merchant, "en")

    answer = client.post(
        reverse("seller-product-create"),
        {
            "title": "Linen shirt",
            "price": "129.00",
            "specification": "颜色：白色；尺码：M",
            "description": "Pure linen.",
            "images": _pngs(2),
        },
    )

    assert answer.status_code == 302
    product = Product.objects.get(shop=shop, title="Linen shirt")
    assert (product.description, product.specification) == ("Pure linen.", "颜色：白色；尺码：M")
    assert list(product.images.values_list("position", flat=True)) == [0, 1]
    listing = client.get(reverse("seller-products")).content.decode()
    cover = product.images.get(position=0).image.name.split("/")[-1]
    assert f'src="/product-images/{cover}" alt="Linen shirt"' in listing


def test_a_sixth_picture_is_refused_beside_the_field(merchant, product):
    product_add_images(product=product, images=_pngs(4))
    client = client_for(merchant, "en")

    page = client.post(
        reverse("seller-product-edit", args=[product.pk]),
        {"title": "Jacket", "price": "100.00", "images": _pngs(2)},
    )

    assert page.status_code == 400
    assert page.context["form"].errors["images"] == [
        "A product has at most 5 images; this one has 4 already."
    ]
    assert product.images.count() == 4


def test_the_edit_page_reorders_and_removes_pictures(merchant, product):
    first, second = product_add_images(product=product, images=_pngs(2))
    client = client_for(merchant, "zh-hans")
    edit = reverse("seller-product-edit", args=[product.pk])

    page = client.get(edit).content.decode()
    assert "主图" in page and "前移" in page and "删除" in page

    moved = client.post(
        reverse("seller-product-image-move", args=[product.pk, second.pk]), {"offset": "-1"}
    )
    assert moved.status_code == 302 and moved["Location"] == edit
    assert [i.image.name for i in product.images.all()] == [
        second.image.name,
        first.image.name,
    ]

    removed = client.post(reverse("seller-product-image-remove", args=[product.pk, first.pk]))
    assert removed.status_code == 302
    assert [i.image.name for i in product.images.all()] == [first.image.name]  # was second's
    assert "图片已删除。" in client.get(edit).content.decode()


def test_another_shops_picture_is_404_and_stays(merchant, rival, product):
    [image] = product_add_images(product=product, images=_pngs(1))
    client = client_for(rival)

    url = reverse("seller-product-image-remove", args=[product.pk, image.pk])
    assert client.post(url).status_code == 404
    assert product.images.count() == 1


def test_the_request_page_shows_the_snapshot_and_says_when_the_listing_changed(
    wf, merchant, product
):
    product_update(
        product=product,
        title="Jacket",
        price=Decimal("100.00"),
        description="Wool.",
        specification="颜色：黑色",
    )
    product_add_images(product=product, images=_pngs(1))
    refund = wf.refund("requested")
    client = client_for(merchant, "zh-hans")
    url = reverse("seller-refund", args=[refund.pk])

    before = client.get(url).content.decode()
    product_update(product=product, title="Jacket", price=Decimal("100.00"), description="Cotton.")
    after = client.get(url).content.decode()

    image = refund.order.items.get().images.get()
    for page in (before, after):
        assert "交易快照" in page and "Wool." in page and "颜色：黑色" in page
        assert f'src="{reverse("snapshot-image", args=[image.pk])}"' in page
    assert "商品信息已更新，以下为下单时快照" not in before
    assert "商品信息已更新，以下为下单时快照" in after

"""What a buyer sees of pictures and snapshots: the catalogue's covers (or a placeholder), the
product page's pictures, description and specification, and on the order page the order as
bought (交易快照), with 商品信息已更新 only once the shop changed the listing; in constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from merchants.services import product_add_images, product_update
from orders.models import OrderItem, OrderItemImage
from tests import factories
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db

CHANGED_ZH = "商品信息已更新，以下为下单时快照"
CHANGED_EN = "The listing has changed since; this is how it was when ordered"


def _pictures(product, n: int = 1):
    return product_add_images(
        product=product, images=[upload(image_bytes(), f"{i}.png") for i in range(n)]
    )


def _image_url(image) -> str:
    return reverse("product-image", args=[image.image.name.split("/")[-1]])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def listed(store):
    _shop, _merchant, product = store
    product_update(
        product=product,
        title=product.title,
        price=product.price,
        description="Wool, lined.\nDry clean only.",
        specification="颜色：黑色；尺码：L",
    )
    _pictures(product, 2)
    return product


def test_the_catalogue_shows_each_products_first_picture_and_a_placeholder_without(
    listed, zh_client
):
    bare = factories.ProductFactory(shop=listed.shop, title="Plain Mug")

    page = zh_client.get(reverse("home")).content.decode()

    cover = listed.images.get(position=0)
    assert (
        f'<img class="cover" src="{_image_url(cover)}" alt="Wool Jacket" width="320" '
        'height="320" loading="lazy">' in page
    )
    assert _image_url(listed.images.get(position=1)) not in page  # only the first
    assert 'aria-label="暂无图片：Plain Mug"' in page
    assert page.count('class="cover placeholder"') == 1
    assert bare.title in page


def test_the_product_page_shows_its_pictures_description_and_specification(listed, en_client):
    page = en_client.get(reverse("product-detail", args=[listed.pk])).content.decode()

    first, second = listed.images.all()
    assert f'src="{_image_url(first)}" alt="Wool Jacket"' in page
    assert f'src="{_image_url(second)}" alt="Wool Jacket · picture 2"' in page
    assert "Wool, lined.<br>Dry clean only." in page
    assert "<dt>Specification</dt><dd>颜色：黑色；尺码：L</dd>" in page


def test_the_order_page_shows_the_snapshot_without_a_notice_while_the_listing_is_unchanged(
    now_wf, listed, buyer_client
):
    order = now_wf.order("paid", product=listed)

    page = buyer_client.get(reverse("order-detail", args=[order.pk])).content.decode()

    assert "交易快照" in page
    assert "颜色：黑色；尺码：L" in page
    assert "Wool, lined.<br>Dry clean only." in page
    for image in OrderItemImage.objects.filter(item__order=order):
        assert f'src="{reverse("snapshot-image", args=[image.pk])}"' in page
    assert "/product-images/" not in page  # the copies, never the shop's current pictures
    assert CHANGED_ZH not in page


def test_the_order_page_says_the_listing_changed_and_still_shows_it_as_bought(
    now_wf, listed, buyer, en_client
):
    order = now_wf.order("paid", product=listed)
    product_update(
        product=listed,
        title="Wool Jacket (2025)",
        price=Decimal("80.00"),
        description="Polyester.",
        specification="颜色：白色",
    )
    en_client.force_login(buyer)

    page = en_client.get(reverse("order-detail", args=[order.pk])).content.decode()

    assert "Order snapshot" in page
    assert CHANGED_EN in page
    assert "Wool, lined." in page and "Polyester." not in page
    assert "颜色：黑色；尺码：L" in page and "颜色：白色" not in page
    assert "¥100.00" in page and "(2025)" not in page


def test_the_zh_notice_reads_in_full_width_punctuation(now_wf, listed, buyer_client):
    order = now_wf.order("paid", product=listed)
    product_update(product=listed, title=listed.title, price=Decimal("1.00"))

    page = buyer_client.get(reverse("order-detail", args=[order.pk])).content.decode()

    assert CHANGED_ZH in page


def test_the_order_page_runs_the_same_queries_for_1_and_50_snapshot_pictures(
    now_wf, listed, buyer_client
):
    order = now_wf.order("paid", product=listed)
    OrderItemImage.objects.filter(item__order=order).exclude(position=0).delete()
    url = reverse("order-detail", args=[order.pk])
    one = _queries(buyer_client, url)
    # ten lines of five pictures each (an order of several lines, as the bench's are)
    item = order.items.get()
    copy = item.images.get()
    for n in range(10):
        line = (
            item
            if n == 0
            else OrderItem.objects.create(
                order=order,
                product=listed,
                title=f"Line {n}",
                quantity=1,
                unit_price=Decimal("1.00"),
                listing_revision=listed.revision,
            )
        )
        for position in range(5):
            if (line, position) != (item, 0):
                OrderItemImage.objects.create(
                    item=line, position=position, image=copy.image.name,
                    content_type=copy.content_type, size=copy.size,
                )  # fmt: skip
    assert OrderItemImage.objects.filter(item__order=order).count() == 50

    assert _queries(buyer_client, url) == one


def test_the_catalogue_runs_the_same_queries_for_1_and_50_products_with_pictures(listed, zh_client):
    one = _queries(zh_client, reverse("home"))
    for n in range(49):
        _pictures(factories.ProductFactory(shop=factories.ShopFactory(), title=f"P{n}"), 2)

    assert _queries(zh_client, reverse("home")) == one

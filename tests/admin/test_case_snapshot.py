"""The agent's case page shows the order as bought (交易快照) beside the buyer's photos — what a
"not as described" case is judged against — and says when the shop changed the listing since;
in the same queries for one snapshot picture and fifty."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from merchants.services import product_add_images, product_update
from orders.models import OrderItem, OrderItemImage
from tests.admin.conftest import admin_path
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(wf, product):
    """A "not as described" case under review whose product had a description, a
    specification and a picture when it was bought; the buyer gave a photo."""
    from disputes import services as ds
    from tests.admin.conftest import png

    product_update(
        product=product,
        title="Jacket",
        price=Decimal("100.00"),
        description="100% cotton.",
        specification="颜色：白色；尺码：L",
    )
    product_add_images(product=product, images=[upload(image_bytes(), "tee.png")])
    refund = wf.refund("in_intervention")
    ds.refund_add_evidence(refund=refund, actor=wf.buyer, images=[png()], now=wf.now)
    return refund.intervention


def _page(client_for, agent, case, language="zh-hans") -> str:
    client = client_for(agent)
    response = client.get(
        admin_path(f"disputes/intervention/{case.pk}/change/"), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_shows_the_snapshot_beside_the_buyers_photos(client_for, agent, case):
    page = _page(client_for, agent, case)

    snapshot, buyer_side = page.index('id="snapshot"'), page.index('id="buyer-side"')
    grid = page.rindex('class="console-grid"', 0, snapshot)
    assert grid < snapshot < buyer_side  # the same row: side by side
    assert "交易快照" in page
    assert "100% cotton." in page and "颜色：白色；尺码：L" in page
    image = OrderItemImage.objects.get(item__order=case.refund.order)
    assert f'src="{reverse("snapshot-image", args=[image.pk])}"' in page
    assert "商品信息已更新" not in page


def test_the_case_page_says_the_listing_changed_after_the_sale(client_for, agent, case, product):
    product_update(
        product=product, title="Jacket", price=Decimal("100.00"), description="Cotton blend."
    )

    zh = _page(client_for, agent, case)
    en = _page(client_for, agent, case, "en")

    assert "商品信息已更新，以下为下单时快照" in zh
    assert "The listing has changed since; this is how it was when ordered" in en
    assert "100% cotton." in zh and "Cotton blend." not in zh


def _queries(client_for, agent, case) -> int:
    client = client_for(agent)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_path(f"disputes/intervention/{case.pk}/change/"))
    assert response.status_code == 200
    return len(captured)


def test_the_case_page_runs_the_same_queries_for_1_and_50_snapshot_pictures(
    client_for, agent, case, product
):
    one = _queries(client_for, agent, case)
    item = case.refund.order.items.get()
    copy = item.images.get()
    for n in range(10):
        line = item
        if n:
            line = OrderItem.objects.create(
                order=item.order,
                product=product,
                title=f"Line {n}",
                quantity=1,
                unit_price=Decimal("1.00"),
                listing_revision=product.revision,
            )
        for position in range(5):
            if (line, position) != (item, 0):
                OrderItemImage.objects.create(
                    item=line,
                    position=position,
                    image=copy.image.name,
                    content_type=copy.content_type,
                    size=copy.size,
                )
    assert OrderItemImage.objects.filter(item__order=item.order).count() == 50

    assert _queries(client_for, agent, case) == one

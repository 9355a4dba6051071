"""The API shows what the pages show: a product's description, specification and public picture
URLs; an order item's trade snapshot, its pictures' access-checked URLs (which the caller's
token opens) and whether the listing changed since; and the schema documents them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from merchants.services import product_add_images, product_update
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(product):
    product_update(
        product=product,
        title="Jacket",
        price=Decimal("100.00"),
        description="Wool.",
        specification="颜色：黑色；尺码：L",
    )
    product_add_images(product=product, images=[upload(image_bytes(), f"{n}.png") for n in "ab"])
    return product


def test_an_order_item_answers_its_snapshot_and_its_pictures_open_with_the_token(
    wf, listed, buyer, client_for
):
    order = wf.order("paid", product=listed)
    product_update(product=listed, title="Jacket II", price=Decimal("90.00"))
    client = client_for(buyer)

    [item] = client.get(reverse("api-order-detail", args=[order.pk])).json()["items"]

    copies = list(order.items.get().images.all())
    assert item["title"] == "Jacket"
    assert item["snapshot"] == {
        "title": "Jacket",
        "unit_price": "100.00",
        "description": "Wool.",
        "specification": "颜色：黑色；尺码：L",
        "images": [f"http://testserver{reverse('snapshot-image', args=[c.pk])}" for c in copies],
        "listing_changed": True,
    }
    for url in item["snapshot"]["images"]:
        assert client.get(url).status_code == 200
        assert client_for(None).get(url).status_code == 404


def test_an_item_sold_before_snapshots_answers_null(wf, listed, buyer, client_for):
    order = wf.order("paid", product=listed)
    order.items.update(listing_revision=None)

    [item] = client_for(buyer).get(reverse("api-order-detail", args=[order.pk])).json()["items"]

    assert item["snapshot"] is None


def test_a_product_listed_through_the_api_answers_its_description_and_specification(
    merchant, shop, client_for
):
    answer = client_for(merchant).post(
        f"/api/v1/shops/{shop.pk}/products/",
        {"title": "Mug", "price": "19.90", "description": "Ceramic.", "specification": "350ml"},
        format="json",
    )

    assert answer.status_code == 201
    assert (answer.data["description"], answer.data["specification"]) == ("Ceramic.", "350ml")
    assert answer.data["images"] == []


def test_the_catalogues_picture_urls_are_public(listed, client_for):
    [entry] = client_for(None).get(reverse("api-products")).json()["results"]

    assert len(entry["images"]) == 2
    for url in entry["images"]:
        served = Client().get(url.removeprefix("http://testserver"))
        assert served.status_code == 200
        assert served["Content-Type"] == "image/png"


def test_the_schema_documents_the_snapshot_and_the_products_pictures():
    schema = Client().get("/api/schema/?format=json").json()["components"]["schemas"]

    snapshot = schema["Snapshot"]["properties"]
    assert set(snapshot) == {
        "title",
        "unit_price",
        "description",
        "specification",
        "images",
        "listing_changed",
    }
    assert snapshot["images"]["items"]["format"] == "uri"
    item = schema["OrderItem"]["properties"]["snapshot"]
    assert item.get("nullable") or any(
        part.get("nullable") for part in item.get("allOf", []) + item.get("oneOf", [])
    )
    product = schema["Product"]["properties"]
    assert {"description", "specification", "images"} <= set(product)
    assert product["images"]["items"]["format"] == "uri"

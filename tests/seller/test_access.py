"""The seller center belongs to the shop's staff: another shop's merchant finds none of this
shop's objects (404, one test per page) and a buyer is refused (403)."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.seller.conftest import client_for

OBJECT_PAGES = [
    ("get", "seller-refund", "refund"),
    ("post", "seller-refund-approve", "refund"),
    ("post", "seller-refund-approve-without-return", "refund"),
    ("post", "seller-refund-reject", "refund"),
    ("post", "seller-refund-confirm-return", "refund"),
    ("post", "seller-refund-concede", "refund"),
    ("post", "seller-case-evidence", "refund"),
    ("post", "seller-order-ship", "order"),
    ("get", "seller-product-edit", "product"),
    ("post", "seller-product-edit", "product"),
    ("post", "seller-product-publish", "product"),
    ("post", "seller-product-unpublish", "product"),
    ("get", "seller-ruling-appeal", "ruling"),
    ("post", "seller-ruling-appeal", "ruling"),
]
LIST_PAGES = [
    "seller-queue",
    "seller-orders",
    "seller-products",
    "seller-product-create",
    "penalty-dashboard",
]


@pytest.fixture
def objects(wf, product):
    ruling = wf.intervention("ruled").ruling
    return {
        "refund": ruling.intervention.refund,
        "order": wf.order("paid"),
        "product": product,
        "ruling": ruling,
    }


@pytest.mark.parametrize(
    ("method", "name", "kind"), OBJECT_PAGES, ids=[f"{m}-{n}" for m, n, _ in OBJECT_PAGES]
)
def test_another_shops_merchant_gets_404(objects, rival, method, name, kind):
    target = objects[kind]
    url = reverse(name, args=[target.pk])
    before = model_to_dict(target)

    response = getattr(client_for(rival), method)(
        url, {"reason": "x", "title": "x", "price": "1", "statement": "x", "tracking_number": "SF1"}
    )

    assert response.status_code == 404
    target.refresh_from_db()
    assert model_to_dict(target) == before


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_buyer_is_refused_the_seller_center(buyer, name):
    response = client_for(buyer).get(reverse(name))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "name", "kind"), OBJECT_PAGES, ids=[f"{m}-{n}" for m, n, _ in OBJECT_PAGES]
)
def test_a_buyer_is_refused_every_object_page(objects, buyer, method, name, kind):
    response = getattr(client_for(buyer), method)(reverse(name, args=[objects[kind].pk]))

    assert response.status_code in (403, 404)


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    response = client_for(None).get(reverse("seller-queue"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]

"""Amounts are read as people type them and nothing else: the ASCII digits 0–9, at most one
point, at most two decimals. "1_0" is not ¥10.00 and full-width "１００" is not ¥100, whether
sent to the API, typed on a page or handed to a service."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.errors import CoreErrorCode, InvalidInput
from disputes import services as ds
from disputes.models import RefundRequest, Ruling
from disputes.services.common import parse_amount
from merchants import services as ms
from merchants.models import Product
from tests.admin.conftest import admin_path

pytestmark = pytest.mark.django_db

NOT_AMOUNTS = ["1_0", "１００", "1e2", "Infinity", "NaN", " 5", "5.", ".5", "+5", "-5", "1,5", "٣"]
PLAIN_MESSAGE = "Type the digits 0–9 and at most one point, e.g. 39.90."


def _page_client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _file(client, order, amount):
    return client.post(
        "/api/v1/refunds/",
        {"order": order.pk, "kind": "refund_only", "reason": "quality_problem", "amount": amount},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_the_api_refuses_a_refund_amount_that_is_not_plainly_typed(wf, buyer, client_for, text):
    order = wf.order("delivered")

    answer = _file(client_for(buyer), order, text)

    assert answer.status_code == 400
    assert answer.json() == {"amount": [PLAIN_MESSAGE], "code": "invalid"}
    assert not RefundRequest.objects.filter(order=order).exists()


@pytest.mark.parametrize("value", [10, 10.5, True, None, ["10"]], ids=repr)
def test_the_api_takes_an_amount_as_a_string_only(wf, buyer, client_for, value):
    order = wf.order("delivered")

    answer = _file(client_for(buyer), order, value)

    assert answer.status_code == 400
    assert set(answer.json()) == {"amount", "code"}


@pytest.mark.parametrize("text", ["10", "10.5", "10.50", "0010.5"])
def test_the_api_takes_digits_with_one_point_and_two_decimals(wf, buyer, client_for, text):
    order = wf.order("delivered")

    answer = _file(client_for(buyer), order, text)

    assert answer.status_code == 201, answer.content
    assert RefundRequest.objects.get(order=order).amount == Decimal(text)


def test_three_decimals_are_refused(wf, buyer, client_for):
    order = wf.order("delivered")

    answer = _file(client_for(buyer), order, "1.005")

    assert answer.status_code == 400
    assert set(answer.json()) == {"amount", "code"}


@pytest.mark.parametrize("text", ["1_0", "１００"])
def test_the_api_refuses_such_a_product_price(merchant, shop, client_for, text):
    answer = client_for(merchant).post(
        f"/api/v1/shops/{shop.pk}/products/", {"title": "雨伞", "price": text}, format="json"
    )

    assert answer.status_code == 400
    assert set(answer.json()) == {"price", "code"}
    assert not Product.objects.filter(title="雨伞").exists()


@pytest.mark.parametrize("text", ["1_0", "１００"])
def test_the_api_refuses_such_a_partial_ruling(wf, agent, client_for, text):
    case = wf.intervention("under_review")

    answer = client_for(agent).post(
        f"/api/v1/interventions/{case.pk}/rule/",
        {
            "outcome": "buyer_partial_refund",
            "refund_amount": text,
            "merchant_responsible": True,
            "rationale": "Half each.",
        },
        format="json",
    )

    assert answer.status_code == 400
    assert set(answer.json()) == {"refund_amount", "code"}
    assert not Ruling.objects.exists()


@pytest.mark.parametrize(("language", "message"), [("en", PLAIN_MESSAGE), ("zh-hans", "半角数字")])
def test_the_refund_page_says_why_in_place_and_keeps_what_was_typed(wf, buyer, language, message):
    order = wf.order("delivered")

    response = _page_client(buyer, language).post(
        reverse("refund-new", args=[order.pk]),
        {"kind": "refund_only", "reason": "quality_problem", "amount": "１００"},
    )

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["amount"])
    assert 'value="１００"' in response.content.decode()
    assert not RefundRequest.objects.filter(order=order).exists()


def test_the_product_page_refuses_a_price_with_an_underscore(merchant, shop):
    response = _page_client(merchant).post(
        reverse("seller-product-create"), {"title": "雨伞", "price": "29_90"}
    )

    assert response.context["form"].errors["price"] == [PLAIN_MESSAGE]
    assert not Product.objects.filter(title="雨伞").exists()


def test_the_admin_ruling_form_refuses_such_a_partial_refund(wf, agent):
    case = wf.intervention("under_review")

    response = _page_client(agent).post(
        admin_path(f"disputes/intervention/{case.pk}/rule/"),
        {
            "outcome": "buyer_partial_refund",
            "refund_amount": "1_0",
            "penalty_points": "2",
            "rationale": "Half each.",
        },
    )

    assert response.context["form"].errors["refund_amount"] == [PLAIN_MESSAGE]
    assert not Ruling.objects.exists()


@pytest.mark.parametrize("text", ["1_0", "１００", "1e2"])
def test_the_services_read_text_as_strictly(wf, shop, text):
    with pytest.raises(InvalidInput) as refusal:
        parse_amount(text)
    assert refusal.value.code == CoreErrorCode.AMOUNT_NOT_A_NUMBER

    with pytest.raises(InvalidInput) as refused_price:
        ms.product_create(shop=shop, title="雨伞", price=text)
    assert refused_price.value.field == "price"

    with pytest.raises(InvalidInput):
        ds.refund_file(
            order=wf.order("delivered"),
            buyer=wf.buyer,
            kind="refund_only",
            reason="quality_problem",
            amount=text,
            now=wf.now,
        )


def test_the_schema_states_the_rule(client):
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]

    amount = schema["RefundCreateRequest"]["properties"]["amount"]
    price = schema["ProductCreateRequest"]["properties"]["price"]

    assert amount["type"] == "string"
    assert amount["pattern"] == r"^[0-9]{1,10}(?:\.[0-9]{1,2})?$"
    assert price["pattern"] == r"^[0-9]{1,8}(?:\.[0-9]{1,2})?$"

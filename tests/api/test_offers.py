"""Negotiation offers through the API: the shop offers, the buyer accepts or declines, either
party lists the offers; available_actions names these for whoever may take them; refusals are
400, 404 and 409 as everywhere; the schema documents it all."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from disputes.models import RefundOffer, RefundPayment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_wf(wf):
    wf.now = timezone.now()  # the API acts at the present moment
    return wf


def _offer(client, refund, **body):
    return client.post(
        f"/api/v1/refunds/{refund.pk}/offer/",
        {"amount": "20.00", "return_required": False, "message": "¥20 and keep it?", **body},
        format="json",
    )


def test_the_shop_offers_and_the_buyer_accepts_for_the_offered_amount(
    now_wf, buyer, merchant, client_for
):
    # given
    refund = now_wf.refund("requested")
    shop, customer = client_for(merchant), client_for(buyer)
    assert "offer" in shop.get(f"/api/v1/refunds/{refund.pk}/").data["available_actions"]

    # when
    offered = _offer(shop, refund)
    as_buyer = customer.get(f"/api/v1/refunds/{refund.pk}/").data
    accepted = customer.post(f"/api/v1/refunds/{refund.pk}/accept-offer/")

    # then
    assert offered.status_code == 200
    assert (offered.data["state"], offered.data["whose_move"]) == ("offered", "buyer")
    assert offered.data["available_actions"] == []
    assert as_buyer["available_actions"] == ["accept-offer", "decline-offer", "cancel"]
    assert as_buyer["deadline"] is not None
    assert accepted.status_code == 200
    assert (accepted.data["state"], accepted.data["amount"]) == ("refunded", "20.00")
    assert [p.amount for p in RefundPayment.objects.filter(refund=refund)] == [Decimal("20.00")]


def test_a_declined_offer_leaves_the_buyer_to_revise_or_escalate(
    now_wf, buyer, merchant, client_for
):
    # given
    refund = now_wf.refund("requested")
    _offer(client_for(merchant), refund, return_required=True)

    # when
    declined = client_for(buyer).post(f"/api/v1/refunds/{refund.pk}/decline-offer/")

    # then
    assert declined.status_code == 200
    assert declined.data["state"] == "rejected"
    assert set(declined.data["available_actions"]) == {"revise", "escalate", "cancel"}


def test_either_party_lists_the_offers_oldest_first_and_nobody_else_sees_them(
    now_wf, buyer, merchant, client_for
):
    # given: one offer declined, then a second one open
    refund = now_wf.refund("requested")
    shop, customer = client_for(merchant), client_for(buyer)
    _offer(shop, refund, amount="10.00", message="¥10?")
    customer.post(f"/api/v1/refunds/{refund.pk}/decline-offer/")
    customer.post(
        f"/api/v1/refunds/{refund.pk}/revise/",
        {"amount": "90.00", "reason": "quality_problem", "description": "Still broken"},
        format="json",
    )
    _offer(shop, refund, amount="45.50", return_required=True, message="Half, with the item")

    # when
    as_buyer = customer.get(f"/api/v1/refunds/{refund.pk}/offers/")
    as_shop = shop.get(f"/api/v1/refunds/{refund.pk}/offers/")
    as_stranger = client_for(factories.UserFactory()).get(f"/api/v1/refunds/{refund.pk}/offers/")
    anonymous = APIClient().get(f"/api/v1/refunds/{refund.pk}/offers/")

    # then
    assert as_buyer.status_code == as_shop.status_code == 200
    assert as_buyer.data == as_shop.data
    assert as_buyer.data["count"] == 2
    rows = [
        (r["amount"], r["asked_amount"], r["return_required"], r["message"], r["outcome"])
        for r in as_buyer.data["results"]
    ]
    assert rows == [
        ("10.00", "100.00", False, "¥10?", "declined"),
        ("45.50", "90.00", True, "Half, with the item", "open"),
    ]
    first = RefundOffer.objects.filter(refund=refund).earliest("created_at")
    assert as_buyer.data["results"][0]["answered_at"] == (
        timezone.localtime(first.answered_at).isoformat()
    )
    assert as_buyer.data["results"][1]["answered_at"] is None
    assert as_stranger.status_code == 404
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"amount": "100.00"}, "amount", "offer_not_less"),
        ({"amount": "0.00"}, "amount", None),
        ({"amount": 20}, "amount", None),
        ({"message": ""}, "message", None),
    ],
)
def test_an_offer_not_below_the_amount_asked_or_malformed_is_a_400(
    now_wf, merchant, client_for, body, field, code
):
    # given
    refund = now_wf.refund("requested")

    # when
    answer = _offer(client_for(merchant), refund, **body)

    # then
    assert answer.status_code == 400
    assert field in answer.data
    if code:
        assert answer.data["code"] == code
    assert not RefundOffer.objects.exists()


def test_offer_actions_out_of_turn_are_409_and_on_another_partys_request_404(
    now_wf, buyer, merchant, client_for
):
    # given
    refund = now_wf.refund("rejected")
    stranger = client_for(factories.make_merchant())

    # when
    offer_now = _offer(client_for(merchant), refund)
    accept_now = client_for(buyer).post(f"/api/v1/refunds/{refund.pk}/accept-offer/")
    foreign = _offer(stranger, refund)
    buyer_offers = _offer(client_for(buyer), refund)

    # then
    assert (offer_now.status_code, offer_now.data["code"]) == (409, "transition_not_allowed")
    assert offer_now.data["state"] == "rejected"
    assert accept_now.status_code == 409
    assert foreign.status_code == 404
    assert buyer_offers.status_code == 403


def test_the_schema_documents_the_offer_endpoints_and_actions():
    # when
    schema = yaml.safe_load(APIClient().get("/api/schema/").content)

    # then
    paths = schema["paths"]
    assert set(paths["/api/v1/refunds/{id}/offer/"]["post"]["responses"]) >= {
        "200",
        "400",
        "404",
        "409",
    }
    for action in ("accept-offer", "decline-offer"):
        assert "post" in paths[f"/api/v1/refunds/{{id}}/{action}/"]
    listed = paths["/api/v1/refunds/{refund_pk}/offers/"]["get"]
    assert set(listed["responses"]) >= {"200", "401", "404"}
    components = schema["components"]["schemas"]
    assert set(components["RefundOffer"]["properties"]) == {
        "id",
        "refund",
        "amount",
        "asked_amount",
        "return_required",
        "message",
        "outcome",
        "created_at",
        "answered_at",
    }
    request_body = components["RefundOfferCreateRequest"]["properties"]
    assert set(request_body) == {"amount", "return_required", "message"}
    actions = components["Refund"]["properties"]["available_actions"]["items"]
    assert (
        {"offer", "accept-offer", "decline-offer"}
        <= set(schema["components"]["schemas"][actions["$ref"].split("/")[-1]]["enum"])
        if "$ref" in actions
        else {"offer", "accept-offer", "decline-offer"} <= set(actions["enum"])
    )


def _with_offers(wf, count: int):
    """A request with `count` offers on it: declined ones and the last one open (more than the
    rules' revisions allow through the services, written directly to weigh the list)."""
    refund = wf.refund("requested")
    wf.offer(refund, amount=Decimal("1.00"))
    RefundOffer.objects.filter(refund=refund).update(outcome="declined")
    RefundOffer.objects.bulk_create(
        RefundOffer(
            refund=refund,
            made_by=wf.merchant,
            amount=Decimal("2.00") + n,
            asked_amount=refund.amount,
            return_required=bool(n % 2),
            message=f"Offer {n}",
            outcome="declined",
        )
        for n in range(count - 1)
    )
    return refund


def _list_queries(client, refund) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(f"/api/v1/refunds/{refund.pk}/offers/", {"page_size": 50})
    assert answer.status_code == 200
    return len(queries), len(answer.data["results"])


def test_the_offers_list_runs_the_same_queries_for_1_and_50_offers(now_wf, buyer, client_for):
    # given
    one, fifty = _with_offers(now_wf, 1), _with_offers(now_wf, 50)
    client = client_for(buyer)

    # when
    small, small_rows = _list_queries(client, one)
    big, big_rows = _list_queries(client, fifty)

    # then: the token, the request, the count and the page
    assert (small_rows, big_rows) == (1, 50)
    assert small == big <= 4

"""Who can reach what: another party's object is a 404, no credentials a 401, a role that
may never act a 403; and no list shows another party's rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disputes import services as ds
from disputes.models import RefundRequest
from orders.models import Order
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["buyer", "merchant", "other_buyer", "other_merchant", "agent", "anonymous"]


@pytest.fixture
def world(wf, buyer, merchant, agent, supervisor):
    """The owner buyer's and merchant's case, ruled and appealed, plus a second pair of
    parties who have their own order and refund at another shop."""
    intervention = wf.intervention("ruled")
    ruling = intervention.ruling
    appeal = ds.ruling_appeal(
        ruling=ruling, actor=merchant, statement="New courier photos.", now=wf.now
    )
    pending = wf.order("paid")  # an order the owners can still move

    other_buyer = factories.UserFactory(username="other_buyer")
    other_merchant = factories.make_merchant(username="other_merchant")
    other_product = factories.ProductFactory(
        shop=other_merchant.shop_membership.shop, price=Decimal("20.00")
    )
    other_order = wf.order("paid", buyer=other_buyer, product=other_product)
    other_refund = wf.file(other_order)
    return {
        "users": {
            "buyer": buyer,
            "merchant": merchant,
            "other_buyer": other_buyer,
            "other_merchant": other_merchant,
            "agent": agent,
            "supervisor": supervisor,
            "anonymous": None,
        },
        "order": intervention.refund.order,
        "pending": pending,
        "refund": intervention.refund,
        "intervention": intervention,
        "ruling": ruling,
        "appeal": appeal,
        "other_refund": other_refund,
    }


# (method, url, body, expected code per role). 404 is "you cannot see it"; the parties'
# own answers to POSTs depend on the state and are covered by the story and error tests.
def matrix(w):
    o, p, r, i = w["order"].pk, w["pending"].pk, w["refund"].pk, w["intervention"].pk
    ru, ap = w["ruling"].pk, w["appeal"].pk
    hidden = {"other_buyer": 404, "other_merchant": 404, "anonymous": 401}
    return [
        (
            "get",
            f"/api/v1/orders/{o}/",
            None,
            {"buyer": 200, "merchant": 200, "agent": 404, **hidden},
        ),
        ("post", f"/api/v1/orders/{p}/pay/", None, {"agent": 404, **hidden}),
        ("post", f"/api/v1/orders/{p}/ship/", {"tracking_number": "X1"}, {"agent": 404, **hidden}),
        ("post", f"/api/v1/orders/{p}/deliver/", None, {"agent": 404, **hidden}),
        ("post", f"/api/v1/orders/{p}/confirm-receipt/", None, {"agent": 404, **hidden}),
        (
            "get",
            f"/api/v1/refunds/{r}/",
            None,
            {"buyer": 200, "merchant": 200, "agent": 200, **hidden},
        ),
        ("post", f"/api/v1/refunds/{r}/approve/", None, hidden),
        ("post", f"/api/v1/refunds/{r}/reject/", {"reason": "No."}, hidden),
        ("post", f"/api/v1/refunds/{r}/cancel/", None, hidden),
        ("post", f"/api/v1/refunds/{r}/escalate/", {"statement": "Help"}, hidden),
        ("post", f"/api/v1/refunds/{r}/concede/", None, hidden),
        ("post", f"/api/v1/refunds/{r}/evidence/", {"image": ""}, hidden),
        (
            "get",
            f"/api/v1/interventions/{i}/",
            None,
            {"buyer": 200, "merchant": 200, "agent": 200, **hidden},
        ),
        (
            "post",
            f"/api/v1/interventions/{i}/evidence/",
            {"statement": "More"},
            {"agent": 403, **hidden},
        ),
        (
            "post",
            f"/api/v1/interventions/{i}/rule/",
            {"outcome": "merchant_wins", "merchant_responsible": False, "rationale": "x"},
            {
                "buyer": 403,
                "merchant": 403,
                "other_buyer": 403,
                "other_merchant": 403,
                "anonymous": 401,
            },
        ),
        ("post", f"/api/v1/rulings/{ru}/appeal/", {"statement": "Again"}, hidden),
        (
            "post",
            f"/api/v1/appeals/{ap}/decide/",
            {"decision": "overturn", "note": "x"},
            {
                "buyer": 403,
                "merchant": 403,
                "other_buyer": 403,
                "other_merchant": 403,
                "agent": 403,
                "anonymous": 401,
            },
        ),
        (
            "get",
            "/api/v1/merchant/dashboard/",
            None,
            {"buyer": 403, "merchant": 200, "other_buyer": 403, "agent": 403, "anonymous": 401},
        ),
    ]


def test_every_object_endpoint_answers_each_party_as_expected(world, client_for):
    before = {
        "orders": dict(Order.objects.values_list("pk", "state")),
        "refunds": dict(RefundRequest.objects.values_list("pk", "state")),
    }
    failures = []
    for method, url, body, expected in matrix(world):
        for role, code in expected.items():
            client = client_for(world["users"][role])
            response = getattr(client, method)(url, body, format="multipart" if body else None)
            if response.status_code != code:
                failures.append(f"{role} {method.upper()} {url}: {response.status_code} != {code}")
    assert failures == []
    # Nobody but the parties moved anything.
    assert dict(Order.objects.values_list("pk", "state")) == before["orders"]
    assert dict(RefundRequest.objects.values_list("pk", "state")) == before["refunds"]


def test_anonymous_gets_401_with_a_token_challenge(world, client_for):
    response = client_for(None).get("/api/v1/refunds/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_lists_show_only_the_callers_own_rows(world, client_for):
    users = world["users"]

    def ids(user, url):
        response = client_for(user).get(url)
        assert response.status_code == 200
        return {row["id"] for row in response.data["results"]}

    own_orders = {world["order"].pk, world["pending"].pk}
    other_order = world["other_refund"].order_id
    assert ids(users["buyer"], "/api/v1/orders/") == own_orders
    assert ids(users["merchant"], "/api/v1/orders/") == own_orders
    assert ids(users["other_buyer"], "/api/v1/orders/") == {other_order}
    assert ids(users["other_merchant"], "/api/v1/orders/") == {other_order}

    assert ids(users["buyer"], "/api/v1/refunds/") == {world["refund"].pk}
    assert ids(users["merchant"], "/api/v1/refunds/") == {world["refund"].pk}
    assert ids(users["other_buyer"], "/api/v1/refunds/") == {world["other_refund"].pk}
    assert ids(users["other_merchant"], "/api/v1/refunds/") == {world["other_refund"].pk}

    def recipients(user):
        response = client_for(user).get("/api/v1/notifications/")
        assert response.status_code == 200
        return response.data["count"]

    # The other merchant was told only about their own refund, never about the owners' case.
    other_merchant_notes = client_for(users["other_merchant"]).get("/api/v1/notifications/")
    assert {n["target_id"] for n in other_merchant_notes.data["results"]} == {
        world["other_refund"].pk
    }
    assert recipients(users["other_buyer"]) == 0

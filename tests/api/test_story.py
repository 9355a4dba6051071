"""The seed's story, through the API alone: a shop that loses six disputes is restricted."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


def register(username: str) -> APIClient:
    anonymous = APIClient()
    response = anonymous.post(
        "/api/v1/auth/register/",
        {
            "username": username,
            "password": "a-long-pass-phrase",
            "email": f"{username}@example.com",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    response = anonymous.post(
        "/api/v1/auth/token/",
        {"username": username, "password": "a-long-pass-phrase"},
        format="json",
    )
    assert response.status_code == 200, response.data
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    return client


def ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.data)
    return response.data


def lose_a_dispute(buyer: APIClient, merchant: APIClient, agent: APIClient, product_id: int):
    order = ok(buyer.post("/api/v1/orders/", {"product": product_id, "quantity": 1}), 201)
    assert order["state"] == "pending_payment"
    ok(buyer.post(f"/api/v1/orders/{order['id']}/pay/"))
    ok(merchant.post(f"/api/v1/orders/{order['id']}/ship/", {"tracking_number": "SF1001"}))

    refund = ok(
        buyer.post(
            "/api/v1/refunds/",
            {
                "order": order["id"],
                "kind": "refund_only",
                "reason": "quality_problem",
                "amount": "30.00",
                "description": "The zip broke on the first day.",
            },
        ),
        201,
    )
    assert refund["state"] == "requested"
    assert refund["whose_move"] == "merchant"
    assert refund["deadline"] is not None
    assert "cancel" in refund["available_actions"]
    seen_by_merchant = ok(merchant.get(f"/api/v1/refunds/{refund['id']}/"))
    assert set(seen_by_merchant["available_actions"]) == {"approve", "reject", "offer"}

    refund = ok(
        merchant.post(f"/api/v1/refunds/{refund['id']}/reject/", {"reason": "It was used."})
    )
    assert refund["state"] == "rejected"
    assert "escalate" in ok(buyer.get(f"/api/v1/refunds/{refund['id']}/"))["available_actions"]

    refund = ok(
        buyer.post(
            f"/api/v1/refunds/{refund['id']}/escalate/",
            {"statement": "The photos show the defect."},
        )
    )
    assert refund["state"] == "in_intervention"
    intervention_id = refund["intervention"]
    assert intervention_id is not None

    case = ok(
        merchant.post(
            f"/api/v1/interventions/{intervention_id}/evidence/",
            {"statement": "The buyer damaged it."},
        ),
        201,
    )
    assert case["state"] == "under_review"

    ruling = ok(
        agent.post(
            f"/api/v1/interventions/{intervention_id}/rule/",
            {
                "outcome": "buyer_full_refund",
                "return_required": False,
                "merchant_responsible": True,
                "merchant_cooperated": True,
                "rationale": "The photos show a defect present on delivery.",
            },
        ),
        201,
    )
    assert ruling["outcome"] == "buyer_full_refund"
    assert ok(buyer.get(f"/api/v1/refunds/{refund['id']}/"))["state"] == "refunded"


def test_six_lost_disputes_restrict_the_shop_and_hide_its_products(db):
    buyer = register("xiaoming")
    merchant = register("flagship_owner")
    agent_user = factories.make_agent(username="agent_li")
    agent = APIClient()
    agent.force_authenticate(agent_user)

    shop = ok(merchant.post("/api/v1/shops/", {"name": "天 Flagship"}), 201)
    product = ok(
        merchant.post(
            f"/api/v1/shops/{shop['id']}/products/", {"title": "Down jacket", "price": "30.00"}
        ),
        201,
    )
    catalogue = ok(APIClient().get("/api/v1/products/"))
    assert [p["id"] for p in catalogue["results"]] == [product["id"]]

    for _ in range(6):
        lose_a_dispute(buyer, merchant, agent, product["id"])

    dashboard = ok(merchant.get("/api/v1/merchant/dashboard/"))
    assert dashboard["points"] == 12
    assert dashboard["threshold"] == 12
    assert dashboard["restriction"] is not None
    assert dashboard["restricted_until"] is not None
    assert len(dashboard["records"]) == 6
    assert dashboard["lost_disputes_90_days"] == 6
    assert dashboard["advice"]  # ¥30 items: refund without return would have been cheaper

    public = ok(APIClient().get(f"/api/v1/shops/{shop['id']}/"))
    assert public["is_restricted"] is True
    assert public["dispute_cases"] == 6
    assert "restricted" in public["public_warning"]

    catalogue = ok(APIClient().get("/api/v1/products/"))
    assert catalogue["results"] == []

    refused = merchant.post(
        f"/api/v1/shops/{shop['id']}/products/", {"title": "Another jacket", "price": "30.00"}
    )
    assert refused.status_code == 403
    assert refused.data["code"] == "shop_restricted"
    assert "被限制至" in refused.data["detail"]
    assert "不能新建或上架商品" in refused.data["detail"]

    kinds = {n["kind"] for n in ok(merchant.get("/api/v1/notifications/"))["results"]}
    assert {"refund_filed", "ruling", "penalty", "restriction"} <= kinds

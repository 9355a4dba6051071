"""The shapes of the API's refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes.models import RefundRequest
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_action_the_state_does_not_allow_is_a_409_with_code_and_state(wf, merchant, client_for):
    refund = wf.refund("refunded")

    response = client_for(merchant).post(f"/api/v1/refunds/{refund.pk}/reject/", {"reason": "No"})

    assert response.status_code == 409
    assert response.data["code"] == "transition_not_allowed"
    assert response.data["state"] == "refunded"
    assert response.data["detail"]


def test_escalating_before_a_rejection_is_refused_with_409(wf, buyer, client_for):
    refund = wf.refund("requested")

    response = client_for(buyer).post(
        f"/api/v1/refunds/{refund.pk}/escalate/", {"statement": "Please help"}
    )

    assert response.status_code == 409
    assert response.data["state"] == "requested"
    refund.refresh_from_db()
    assert refund.state == "requested"


def test_bad_input_is_a_400_with_the_field_named(wf, buyer, client_for):
    order = wf.order("shipped")
    client = client_for(buyer)

    too_much = client.post(
        "/api/v1/refunds/",
        {"order": order.pk, "kind": "refund_only", "reason": "quality_problem", "amount": "999.00"},
    )
    missing = client.post("/api/v1/refunds/", {"order": order.pk})

    assert too_much.status_code == 400
    assert too_much.data["code"] == "amount_above_refundable"
    assert too_much.data["amount"] == ["金额最多 ¥100.00（实付减去已退款）。"]
    assert missing.status_code == 400
    assert missing.data["code"] == "invalid"
    assert {"kind", "reason", "amount"} <= set(missing.data)
    assert not RefundRequest.objects.exists()


def test_an_error_answer_is_in_the_requests_language(merchant, client_for):
    client = client_for(merchant)

    chinese = client.post("/api/v1/shops/", {"name": "Second shop"})
    english = client.post("/api/v1/shops/", {"name": "Second shop"}, HTTP_ACCEPT_LANGUAGE="en")

    assert chinese.data == {
        "non_field_errors": ["您已在一家店铺任职。"],
        "code": "already_merchant",
    }
    assert english.data == {
        "non_field_errors": ["You already work for a shop."],
        "code": "already_merchant",
    }


def test_the_answers_drf_gives_itself_carry_a_code_too(wf, buyer, client_for):
    order = wf.order("paid")

    anonymous = client_for().get("/api/v1/orders/")
    missing = client_for(buyer).get("/api/v1/orders/999999/")
    another = client_for(factories.UserFactory()).get(f"/api/v1/orders/{order.pk}/")

    assert (anonymous.status_code, anonymous.data["code"]) == (401, "not_authenticated")
    assert (missing.status_code, missing.data["code"]) == (404, "not_found")
    assert (another.status_code, another.data["code"]) == (404, "not_found")


def test_a_role_that_may_never_act_gets_403(wf, buyer, client_for):
    refund = wf.refund("requested")

    response = client_for(buyer).post(f"/api/v1/refunds/{refund.pk}/approve/")

    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert response.data["detail"] == "这不是您可以进行的操作。"


def test_a_guard_refuses_with_a_409_of_its_own_code_and_the_state(wf, merchant, client_for):
    refund = wf.refund("requested", kind="refund_only")

    response = client_for(merchant).post(
        f"/api/v1/refunds/{refund.pk}/approve-without-return/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert response.data == {
        "code": "not_a_return_request",
        "state": "requested",
        "detail": "Only a return-and-refund request can be refunded without the return.",
    }


def test_filing_too_fast_is_throttled_with_429(wf, buyer, client_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "refund_file": "2/minute",
        },
    }
    client = client_for(buyer)
    orders = [wf.order("shipped") for _ in range(3)]

    codes = [
        client.post(
            "/api/v1/refunds/",
            {"order": o.pk, "kind": "refund_only", "reason": "wrong_item", "amount": "10.00"},
        ).status_code
        for o in orders
    ]

    assert codes == [201, 201, 429]
    assert RefundRequest.objects.count() == 2


@pytest.mark.parametrize("url", ["/api/v1/refunds/", "/api/v1/orders/"])
def test_lists_run_the_same_queries_for_few_rows_and_many(
    wf, buyer, client_for, url, django_assert_max_num_queries
):
    client = client_for(buyer)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(2):
        wf.refund("rejected")
    few = queries_for_list()
    for _ in range(8):
        wf.refund("in_intervention")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.data["count"] == 10


@pytest.mark.parametrize("url", ["/api/v1/products/", "/api/v1/notifications/"])
def test_catalogue_and_notifications_run_the_same_queries_for_few_rows_and_many(
    wf, buyer, shop, client_for, url, django_assert_max_num_queries
):
    client = client_for(buyer)
    factories.ProductFactory(shop=shop)
    wf.refund("rejected")  # notifications for the buyer
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    few = len(captured)

    for _ in range(6):
        factories.ProductFactory(shop=factories.ShopFactory())
        wf.refund("in_intervention")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.data["count"] > 6


@pytest.mark.parametrize(("limit", "length", "status"), [(800, 600, 200), (10, 11, 400)])
def test_the_text_limit_is_the_rules_max_text_length(
    wf, merchant, client_for, settings, limit, length, status
):
    # given the platform's text limit set to `limit`
    settings.PLATFORM_RULES = {"max_text_length": limit}
    refund = wf.refund("requested")

    # when the merchant rejects with a reason of `length` characters
    response = client_for(merchant).post(
        f"/api/v1/refunds/{refund.pk}/reject/", {"reason": "x" * length}
    )

    # then the API follows the rule, not a number of its own
    assert response.status_code == status
    if status == 400:
        assert "reason" in response.data


REFUND_STATES = ["requested", "awaiting_return", "return_shipped", "rejected", "in_intervention"]


def test_the_merchants_refund_list_is_three_queries_whatever_the_states(
    wf, merchant, client_for, django_assert_num_queries
):
    # given the shop's refunds in every open state, one in intervention (concede reads the case)
    for state in REFUND_STATES:
        wf.refund(state)
    client = client_for(merchant)

    # when the merchant lists them, then: the token with the shop, the count and the page
    with django_assert_num_queries(3):
        response = client.get("/api/v1/refunds/")
    assert response.data["count"] == len(REFUND_STATES)
    in_intervention = next(r for r in response.data["results"] if r["intervention"] is not None)
    assert in_intervention["available_actions"] == ["concede"]


@pytest.mark.parametrize("state", REFUND_STATES)
def test_a_refunds_detail_is_two_queries(
    wf, merchant, client_for, state, django_assert_num_queries
):
    refund = wf.refund(state)
    client = client_for(merchant)

    # the token with the shop, and the refund with its order and case
    with django_assert_num_queries(2):
        assert client.get(f"/api/v1/refunds/{refund.pk}/").status_code == 200


def test_the_buyers_order_list_is_five_queries(wf, buyer, client_for, django_assert_num_queries):
    for _ in range(3):
        wf.refund("requested")
    client = client_for(buyer)

    # the token with the (absent) shop, the count, the page, its items (with their products'
    # revisions) and their snapshots' images
    with django_assert_num_queries(5):
        response = client.get("/api/v1/orders/")
    assert response.data["count"] == 3


def test_the_merchant_dashboard_reads_the_shop_with_the_token(
    merchant, client_for, django_assert_num_queries
):
    client = client_for(merchant)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/merchant/dashboard/").status_code == 200
    assert not any("merchants_shopstaff" in q["sql"] for q in captured[1:])


def test_the_refund_list_filters_by_state_and_kind_and_refuses_an_unknown_state(
    wf, merchant, client_for
):
    for state in REFUND_STATES:
        wf.refund(state)
    client = client_for(merchant)

    every = client.get("/api/v1/refunds/")
    rejected = client.get("/api/v1/refunds/?state=rejected")
    returns = client.get("/api/v1/refunds/?kind=return_and_refund")
    unknown = client.get("/api/v1/refunds/?state=lost")

    assert every.data["count"] == len(REFUND_STATES)
    assert [r["state"] for r in rejected.data["results"]] == ["rejected"]
    assert {r["state"] for r in returns.data["results"]} == {"awaiting_return", "return_shipped"}
    assert unknown.status_code == 400

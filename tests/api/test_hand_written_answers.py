"""The refund, order and product answers are written by hand for speed (their serializers'
`to_representation`); their declared fields stay the API's schema. Each answer carries exactly
the declared fields, in their order, so the two cannot drift apart unnoticed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIRequestFactory

from disputes.api.serializers import RefundSerializer
from merchants.api.serializers import ProductSerializer
from orders.api.serializers import OrderSerializer

pytestmark = pytest.mark.django_db


def _request(user):
    request = APIRequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("state", ["requested", "rejected", "in_intervention", "refunded"])
def test_a_refund_answer_has_exactly_the_declared_fields(wf, buyer, state):
    serializer = RefundSerializer(context={"request": _request(buyer)})
    answer = serializer.to_representation(wf.refund(state))
    assert list(answer) == list(serializer.fields)


def test_an_order_answer_has_exactly_the_declared_fields(wf, buyer):
    serializer = OrderSerializer(context={"request": _request(buyer)})
    answer = serializer.to_representation(wf.order("delivered"))
    assert list(answer) == list(serializer.fields)
    assert list(answer["items"][0]) == list(serializer.fields["items"].child.fields)


def test_a_product_answer_has_exactly_the_declared_fields(product, buyer):
    serializer = ProductSerializer(context={"request": _request(buyer)})
    answer = serializer.to_representation(product)
    assert list(answer) == list(serializer.fields)
    assert list(answer["shop"]) == list(serializer.fields["shop"].fields)

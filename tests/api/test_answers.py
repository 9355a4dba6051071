"""What the API answers, value by value, for representative objects: amounts as strings with
their column's decimal places, times in ISO 8601 in the platform's zone (Asia/Shanghai, with
microseconds when the time has them), nulls as null, related rows as ids or nested objects. The
serializers' declared fields write these answers; this is what proves it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.renderers import JSONRenderer
from rest_framework.utils import json

from disputes.selectors import refund_response_stats
from merchants.models import Product, Shop
from merchants.services import product_add_images
from penalties.api.serializers import DashboardSerializer
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.selectors import merchant_dashboard
from tests import factories
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db

T0 = "2026-06-01T10:00:00+08:00"


def test_a_catalogue_entry_reads_with_its_shop(buyer, product, client_for, t0):
    # given a product listed at a moment with microseconds, priced 39.9, of a shop scored 87.5,
    # described, specified and with two pictures
    Product.objects.filter(pk=product.pk).update(
        price=Decimal("39.9"),
        created_at=t0 + timedelta(microseconds=120_500),
        description="Warm wool.",
        specification="颜色：黑色；尺码：L",
    )
    Shop.objects.filter(pk=product.shop_id).update(ranking_score=Decimal("87.5"))
    product_add_images(product=product, images=[upload(image_bytes(), "a.png") for _ in "ab"])
    first, second = (i.image.name.removeprefix("products/") for i in product.images.all())

    # when anyone reads the catalogue
    answer = client_for(buyer).get(reverse("api-products")).json()

    # then the entry reads value by value
    assert answer["results"] == [
        {
            "id": product.pk,
            "title": "Jacket",
            "price": "39.90",
            "description": "Warm wool.",
            "specification": "颜色：黑色；尺码：L",
            "images": [
                f"http://testserver/product-images/{first}",
                f"http://testserver/product-images/{second}",
            ],
            "is_published": True,
            "created_at": "2026-06-01T10:00:00.120500+08:00",
            "shop": {
                "id": product.shop_id,
                "name": "天 Flagship",
                "seller_level": "excellent",
                "ranking_score": "87.50",
            },
        }
    ]


def _order(order, **overrides) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "state": "delivered",
        "buyer": order.buyer_id,
        "shop": order.shop_id,
        "shop_name": "天 Flagship",
        "items": [
            {
                "product": order.items.get().product_id,
                "title": "Jacket",
                "quantity": 2,
                "unit_price": "100.00",
                "line_total": "200.00",
                "snapshot": {
                    "title": "Jacket",
                    "unit_price": "100.00",
                    "description": "",
                    "specification": "",
                    "images": [],
                    "listing_changed": False,
                },
            }
        ],
        "total": "200.00",
        "refunded_amount": "0.00",
        "tracking_number": f"SF{order.number[-10:]}",
        "created_at": T0,
        "paid_at": T0,
        "shipped_at": T0,
        "delivered_at": T0,
        "completed_at": None,
        "closed_at": None,
        "auto_confirm_at": "2026-06-11T10:00:00+08:00",
        "available_actions": ["confirm-receipt"],
    } | overrides


def test_an_order_reads_with_its_items_amounts_times_and_the_callers_actions(
    wf, buyer, merchant, client_for
):
    # given a delivered order of two jackets, partly refunded
    order = wf.order("delivered", quantity=2)
    type(order).objects.filter(pk=order.pk).update(refunded_amount=Decimal("30.5"))
    url = reverse("api-order-detail", args=[order.pk])

    # then its buyer reads it, with the buyer's action
    assert client_for(buyer).get(url).json() == _order(order, refunded_amount="30.50")
    # and its merchant reads the same order with none (the buyer confirms receipt)
    assert client_for(merchant).get(url).json() == _order(
        order, refunded_amount="30.50", available_actions=[]
    )
    # and the list holds the same answer
    assert client_for(buyer).get(reverse("api-order-list")).json()["results"] == [
        _order(order, refunded_amount="30.50")
    ]


def test_an_unpaid_order_reads_its_missing_times_as_null(wf, buyer, client_for):
    order = wf.order("pending_payment")

    answer = client_for(buyer).get(reverse("api-order-detail", args=[order.pk])).json()

    assert answer == _order(
        order,
        state="pending_payment",
        items=[
            {
                "product": order.items.get().product_id,
                "title": "Jacket",
                "quantity": 1,
                "unit_price": "100.00",
                "line_total": "100.00",
                "snapshot": {
                    "title": "Jacket",
                    "unit_price": "100.00",
                    "description": "",
                    "specification": "",
                    "images": [],
                    "listing_changed": False,
                },
            }
        ],
        total="100.00",
        tracking_number="",
        paid_at=None,
        shipped_at=None,
        delivered_at=None,
        auto_confirm_at=None,
        available_actions=["pay"],
    )


def _refund(refund, **overrides) -> dict:
    return {
        "id": refund.pk,
        "order": refund.order_id,
        "order_number": refund.order.number,
        "shop": refund.shop_id,
        "buyer": refund.buyer_id,
        "kind": "refund_only",
        "reason": "quality_problem",
        "description": "broken zip",
        "amount": "100.00",
        "state": "requested",
        "deadline": "2026-06-03T10:00:00+08:00",
        "whose_move": "merchant",
        "available_actions": ["cancel"],
        "intervention": None,
        "revision_count": 0,
        "rejection_reason": "",
        "return_address": None,
        "return_courier": None,
        "return_tracking_number": "",
        "platform_ordered_return": False,
        "auto_approved": False,
        "created_at": T0,
        "responded_at": None,
        "escalated_at": None,
        "closed_at": None,
    } | overrides


@pytest.mark.parametrize(
    ("state", "changes"),
    [
        ("requested", {}),
        (
            "rejected",
            {
                "state": "rejected",
                "deadline": "2026-06-08T10:00:00+08:00",
                "whose_move": "buyer",
                "rejection_reason": "Used item",
                "responded_at": T0,
            },
        ),
        (
            "in_intervention",
            {
                "state": "in_intervention",
                "available_actions": [],
                "rejection_reason": "Used item",
                "responded_at": T0,
                "escalated_at": T0,
            },
        ),
        (
            "refunded",
            {
                "state": "refunded",
                "deadline": None,
                "whose_move": None,
                "available_actions": [],
                "responded_at": T0,
                "closed_at": T0,
            },
        ),
        (
            "return_shipped",
            {
                "kind": "return_and_refund",
                "state": "return_shipped",
                "deadline": "2026-06-11T10:00:00+08:00",
                "available_actions": [],
                "responded_at": T0,
                "return_address": {
                    "name": "Wang Li",
                    "phone": "13800138000",
                    "region": "Zhejiang Hangzhou Yuhang",
                    "address": "8 Cangqian Street, returns depot",
                },
                "return_courier": "yto",
                "return_tracking_number": "YT9",
            },
        ),
    ],
)
def test_a_refund_reads_whose_move_by_when_and_what_the_caller_may_do(
    wf, buyer, client_for, state, changes
):
    refund = wf.refund(state)
    if state == "in_intervention":
        changes |= {"intervention": refund.intervention.pk}

    detail = client_for(buyer).get(reverse("api-refund-detail", args=[refund.pk])).json()
    listed = client_for(buyer).get(reverse("api-refund-list")).json()["results"]

    assert detail == _refund(refund, **changes)
    assert listed == [detail]


def test_the_dashboard_reads_records_rulings_restriction_rates_and_advice(wf, t0):
    # given a shop that lost a dispute over a ¥39.90 item, with an adjustment, a reversed
    # adjustment and a restriction in force
    shop = wf.product.shop
    cheap = factories.ProductFactory(shop=shop, title="Socks", price=Decimal("39.90"))
    intervention = wf.intervention("ruled", order=wf.order("delivered", product=cheap))
    goodwill = PenaltyRecord.objects.create(
        shop=shop, kind=PenaltyKind.ADJUSTMENT, points=-2, period=t0.year, note="Goodwill"
    )
    twice = PenaltyRecord.objects.create(
        shop=shop,
        kind=PenaltyKind.ADJUSTMENT,
        points=3,
        period=t0.year,
        reversed_at=t0,
        reversal_note="Entered twice",
        note="Late answers",
    )
    PenaltyRecord.objects.filter(pk=goodwill.pk).update(created_at=t0 - timedelta(days=40))
    PenaltyRecord.objects.filter(pk=twice.pk).update(created_at=t0 - timedelta(days=41))
    restriction = Restriction.objects.create(
        shop=shop,
        period=t0.year,
        level=1,
        points_at_start=12,
        starts_at=t0 - timedelta(days=1),
        ends_at=t0 + timedelta(days=6, microseconds=5),
    )
    ruling = intervention.ruling
    record = PenaltyRecord.objects.get(ruling=ruling)
    dashboard = merchant_dashboard(
        shop=shop, refund_responses=refund_response_stats(shop_id=shop.pk), now=t0
    )

    # when the dashboard is written as the API sends it
    answer = json.loads(JSONRenderer().render(DashboardSerializer(dashboard).data))

    # then it reads value by value
    assert answer == {
        "shop": shop.pk,
        "shop_name": "天 Flagship",
        "period": 2026,
        "points": 0,
        "threshold": 12,
        "restriction": {
            "id": restriction.pk,
            "period": 2026,
            "level": 1,
            "points_at_start": 12,
            "starts_at": "2026-05-31T10:00:00+08:00",
            "ends_at": "2026-06-07T10:00:00.000005+08:00",
        },
        "restricted_until": None,
        "records": [
            {
                "id": record.pk,
                "kind": "dispute_lost",
                "points": 2,
                "period": 2026,
                "created_at": T0,
                "counts": True,
                "reversed_at": None,
                "reversal_note": "",
                "note": "",
                "ruling": {
                    "id": ruling.pk,
                    "outcome": "buyer_full_refund",
                    "refund_amount": "39.90",
                    "rationale": "The photos show the defect.",
                    "created_at": T0,
                    "appeal_deadline": "2026-07-01T10:00:00+08:00",
                    "overturned_at": None,
                    "intervention": intervention.pk,
                    "refund": intervention.refund_id,
                    "appealed": False,
                },
            },
            {
                "id": goodwill.pk,
                "kind": "adjustment",
                "points": -2,
                "period": 2026,
                "created_at": "2026-04-22T10:00:00+08:00",
                "counts": True,
                "reversed_at": None,
                "reversal_note": "",
                "note": "Goodwill",
                "ruling": None,
            },
            {
                "id": twice.pk,
                "kind": "adjustment",
                "points": 3,
                "period": 2026,
                "created_at": "2026-04-21T10:00:00+08:00",
                "counts": False,
                "reversed_at": T0,
                "reversal_note": "Entered twice",
                "note": "Late answers",
                "ruling": None,
            },
        ],
        "lost_disputes_30_days": 1,
        "lost_disputes_90_days": 1,
        "paid_orders_90_days": 1,
        "lost_dispute_rate_90_days": "1.0000",
        "seller_level": "excellent",
        "refund_responses": {"answered": 1, "average_response_hours": 0.0, "auto_approved": 0},
        "points_by_month": [
            {"month": "2026-04-01", "points": -2},
            {"month": "2026-06-01", "points": 2},
        ],
        "low_value_item": "50.00",
        "advice": "¥50.00 及以下的商品，直接退款（无需退货）的代价低于平台介入败诉。",
    }

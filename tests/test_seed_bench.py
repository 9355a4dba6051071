"""seed_bench writes a marketplace the product could have written itself."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from core.models import AuditEntry
from core.rules import get_rules
from disputes.models import Intervention, RefundRequest, RefundState, Ruling
from merchants.models import ReturnAddress, Shop
from orders.models import Order, OrderItem
from penalties.models import PenaltyRecord, Restriction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("seed_bench writes with PostgreSQL's COPY")


def _last_states(model) -> dict[int, str]:
    """Each object's state after its last audited state change."""
    from django.contrib.contenttypes.models import ContentType

    last = {}
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(model)
    ).exclude(to_state="")
    for target, state in entries.order_by("created_at", "id").values_list("target_id", "to_state"):
        last[target] = state
    return last


def test_the_seed_is_consistent_with_the_workflow(_postgres_only):
    # when
    call_command("seed_bench", "--orders", "3000", stdout=None)

    # then the sizes are those of a marketplace
    assert Order.objects.count() == 3000
    refunds = RefundRequest.objects.count()
    assert 0.08 * 3000 < refunds < 0.13 * 3000
    assert 0.01 * 3000 < Intervention.objects.count() < 0.03 * 3000
    assert set(RefundRequest.objects.values_list("state", flat=True)) == set(RefundState.values)

    # every line has its trade snapshot: the listing's text at the revision it was sold at
    assert not OrderItem.objects.filter(listing_revision__isnull=True).exists()
    for item in OrderItem.objects.select_related("product")[:200]:
        product = item.product
        assert (item.title, item.unit_price, item.description, item.specification) == (
            product.title,
            product.price,
            product.description,
            product.specification,
        )
        assert item.description and item.specification
        assert not item.listing_changed

    # every object's state is the one its audit trail ends in
    for model in (Order, RefundRequest, Intervention):
        states = dict(model.objects.values_list("pk", "state"))
        assert _last_states(model) == states, model

    # every shop has its default return address, and every return agreed went to it, with a
    # courier once shipped
    defaults = dict(ReturnAddress.objects.filter(is_default=True).values_list("shop_id", "address"))
    assert set(defaults) == set(Shop.objects.values_list("pk", flat=True))
    agreed = RefundRequest.objects.filter(
        Q(state__in=[RefundState.AWAITING_RETURN, RefundState.RETURN_SHIPPED])
        | ~Q(return_tracking_number="")
    )
    assert agreed.exists()
    for shop_id, address, courier, tracking in agreed.values_list(
        "shop_id", "return_to_address", "return_courier", "return_tracking_number"
    ):
        assert address == defaults[shop_id]
        assert (courier != "") == (tracking != "")

    # money: what was refunded is what the payments say, and the refunded orders are paid back
    for order in Order.objects.filter(refunded_amount__gt=0)[:200]:
        paid = order.refund_payments.aggregate(s=Sum("amount"))["s"]
        assert paid == order.refunded_amount
        assert (order.state == "refunded") == (order.refunded_amount == order.total)

    # penalties follow the rulings, restrictions follow the points
    responsible = Ruling.objects.filter(merchant_responsible=True).count()
    assert PenaltyRecord.objects.filter(kind="dispute_lost").count() == responsible
    threshold = get_rules().restriction_threshold
    points = defaultdict(int)
    for shop, period, p in PenaltyRecord.objects.values_list("shop_id", "period", "points"):
        points[shop, period] += p
    levels = Counter(Restriction.objects.values_list("shop_id", "period"))
    assert dict(levels) == {k: v // threshold for k, v in points.items() if v >= threshold}
    now = timezone.now()
    for shop in Shop.objects.all():
        in_force = [r.ends_at for r in Restriction.objects.filter(shop=shop) if r.in_force(now)]
        assert shop.restricted_until == (max(in_force) if in_force else None)

"""Reads for orders that respect who is asking."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from merchants.selectors import shop_id_of
from orders.models import Order, OrderItem


def orders_visible_to(user) -> QuerySet[Order]:
    """A buyer's own orders and, for a merchant, their shop's orders."""
    if not user.is_authenticated:
        return Order.objects.none()
    shop_id = shop_id_of(user)
    condition = Q(buyer=user)
    if shop_id is not None:
        condition |= Q(shop_id=shop_id)
    return Order.objects.filter(condition)


# The tabs of 我的订单: which order states each shows (a grouping for the page, not a rule).
BUYER_ORDER_TABS = {
    "all": None,
    "pending_payment": ["pending_payment"],
    "paid": ["paid"],
    "shipped": ["shipped", "delivered"],
    "completed": ["completed"],
    "closed": ["cancelled", "refunded"],
}


def buyer_orders(user, *, tab: str = "all") -> QuerySet[Order]:
    """The user's own orders as a buyer (never the shop's), newest first, with their items and
    after-sales requests fetched in one query each."""
    if not user.is_authenticated:
        return Order.objects.none()
    orders = (
        Order.objects.filter(buyer=user)
        .select_related("shop")
        .prefetch_related("items", "refunds")
        .order_by("-created_at", "-id")
    )
    states = BUYER_ORDER_TABS.get(tab)
    if states:
        orders = orders.filter(state__in=states)
    return orders


def buyer_order_list(user, *, tab: str = "all") -> QuerySet[Order]:
    """`buyer_orders` as 我的订单 shows them: only the columns the list prints, each order's
    items in `item_list`, and its newest after-sales request as `latest_refund_id` and
    `latest_refund_state` (None without one)."""
    # disputes stands on orders: its request model is reached through the relation, not imported.
    latest_refund = (
        Order.refunds.field.model.objects.filter(order=OuterRef("pk")).order_by(
            "-created_at", "-id"
        )
    )[:1]
    return (
        buyer_orders(user, tab=tab)
        .only("number", "state", "total", "created_at", "shop__name")
        .annotate(
            latest_refund_id=Subquery(latest_refund.values("pk")),
            latest_refund_state=Subquery(latest_refund.values("state")),
        )
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("items", OrderItem.objects.only("order_id", "title", "quantity"), "item_list")
        )
    )


def buyer_order_counts(user) -> dict[str, int]:
    """How many of the user's orders each tab holds, in one query."""
    counts = dict.fromkeys(BUYER_ORDER_TABS, 0)
    if not user.is_authenticated:
        return counts
    rows = Order.objects.filter(buyer=user).order_by().values_list("state").annotate(n=Count("pk"))
    for state, n in rows:
        counts["all"] += n
        for tab, states in BUYER_ORDER_TABS.items():
            if states and state in states:
                counts[tab] += n
    return counts

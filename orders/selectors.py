"""Reads for orders that respect who is asking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from core.notices import Page
from core.roles import is_agent
from merchants.models import ProductImage
from merchants.selectors import shop_id_of
from orders.models import Order, OrderItem, OrderItemImage


def orders_visible_to(user) -> QuerySet[Order]:
    """A buyer's own orders and, for a merchant, their shop's orders."""
    if not user.is_authenticated:
        return Order.objects.none()
    shop_id = shop_id_of(user)
    condition = Q(buyer=user)
    if shop_id is not None:
        condition |= Q(shop_id=shop_id)
    return Order.objects.filter(condition)


# What a page shows of an item as sold.
ITEM_FIELDS = (
    "order_id",
    "product_id",
    "title",
    "quantity",
    "unit_price",
    "description",
    "specification",
    "listing_revision",
)


def items_with_snapshots() -> QuerySet[OrderItem]:
    """Order items with what their trade snapshots show: the product's current revision
    (`listing_changed`) in the items' query, and the snapshot images (`images.all()`, in
    order) in one more."""
    return (
        OrderItem.objects.select_related("product")
        .only(*ITEM_FIELDS, "product__revision")
        .prefetch_related(Prefetch("images", OrderItemImage.objects.order_by("position")))
        .order_by("pk")
    )


def items_as_sold(order_id: int) -> list[OrderItem]:
    """An order's items with their trade snapshots, in two queries."""
    return list(items_with_snapshots().filter(order_id=order_id))


@dataclass(frozen=True)
class Goods:
    """What a notice about an order names of it: its number, the first item's title as sold
    and that item's first picture."""

    order: str
    title: str
    picture: Page | None


def goods_items() -> QuerySet[OrderItem]:
    """Items with the picture a notice shows of them: the trade snapshot's first copy, which
    never changes, or for an item without one (sold before snapshots were kept, or with no
    picture then) its product's cover."""
    snapshot = OrderItemImage.objects.filter(item=OuterRef("pk")).order_by("position")
    cover = ProductImage.objects.filter(product=OuterRef("product_id")).order_by("position")
    return (
        OrderItem.objects.only("order_id", "title")
        .annotate(
            snapshot_id=Subquery(snapshot.values("pk")[:1]),
            cover=Subquery(cover.values("image")[:1]),
        )
        .order_by("pk")
    )


def goods_prefetch(orders: str) -> Prefetch:
    """Fetch the goods of many orders at once (the deadline sweep's batches): `orders` is the
    path to the orders, and `order_goods` reads what this fetched."""
    return Prefetch(f"{orders}__items", goods_items(), to_attr="goods")


def order_goods(order: Order) -> Goods:
    """The goods of an order: from `goods_prefetch`, or in one query."""
    items = getattr(order, "goods", None)
    if items is None:
        items = goods_items().filter(order_id=order.pk)[:1]
    item = next(iter(items), None)
    if item is None:  # every order has an item; its number alone otherwise
        return Goods(order.number, "", None)
    picture = None
    if item.snapshot_id is not None:
        picture = Page("snapshot-image", (item.snapshot_id,))
    elif item.cover:
        picture = Page("product-image", (item.cover.rsplit("/", 1)[-1],))
    return Goods(order.number, item.title, picture)


def item_images_visible_to(user) -> QuerySet[OrderItemImage]:
    """Snapshot images are private to the order's buyer, its shop's staff and platform staff."""
    if is_agent(user):
        return OrderItemImage.objects.all()
    return OrderItemImage.objects.filter(item__order__in=orders_visible_to(user).values("pk"))


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
    """The user's own orders as a buyer (never the shop's), newest first, with their
    after-sales requests fetched in one query (their items as sold: `items_as_sold`)."""
    if not user.is_authenticated:
        return Order.objects.none()
    orders = (
        Order.objects.filter(buyer=user)
        .select_related("shop")
        .prefetch_related("refunds")
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

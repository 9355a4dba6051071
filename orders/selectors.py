"""Reads for orders that respect who is asking."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from merchants.selectors import shop_id_of
from orders.models import Order


def orders_visible_to(user) -> QuerySet[Order]:
    """A buyer's own orders and, for a merchant, their shop's orders."""
    if not user.is_authenticated:
        return Order.objects.none()
    shop_id = shop_id_of(user)
    condition = Q(buyer=user)
    if shop_id is not None:
        condition |= Q(shop_id=shop_id)
    return Order.objects.filter(condition)

"""Reads for shops, staff and the catalogue."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from merchants.models import Product, Shop


def shop_of(user) -> Shop | None:
    """The shop the user works for, or None."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "shop_membership", None)
    return membership.shop if membership else None


def shop_id_of(user) -> int | None:
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_shop_id", False)
    if cached is False:
        from merchants.models import ShopStaff

        cached = ShopStaff.objects.filter(user=user).values_list("shop_id", flat=True).first()
        user._shop_id = cached
    return cached


def is_staff_of(user, shop_id: int) -> bool:
    return shop_id is not None and shop_id_of(user) == shop_id


def unrestricted_shops(now=None) -> QuerySet[Shop]:
    now = now or timezone.now()
    return Shop.objects.filter(Q(restricted_until__isnull=True) | Q(restricted_until__lte=now))


def catalogue(now=None) -> QuerySet[Product]:
    """Published products of unrestricted shops, best-ranked shops first (natural ranking)."""
    now = now or timezone.now()
    return (
        Product.objects.filter(is_published=True)
        .filter(Q(shop__restricted_until__isnull=True) | Q(shop__restricted_until__lte=now))
        .select_related("shop")
        .order_by("-shop__ranking_score", "-created_at", "-id")
    )


def catalogue_search(query: str = "", now=None) -> QuerySet[Product]:
    """The catalogue, narrowed to titles or shop names containing `query` (ranking kept)."""
    products = catalogue(now)
    query = (query or "").strip()
    if query:
        products = products.filter(Q(title__icontains=query) | Q(shop__name__icontains=query))
    return products

"""Writes for shops and products."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from core.errors import DomainError
from core.money import money_value
from merchants.errors import MerchantErrorCode
from merchants.models import Product, Shop, ShopStaff


def _ensure_not_restricted(shop: Shop) -> None:
    """A restricted shop may not create or publish products (the API's 403, as every refusal
    of who may act)."""
    if shop.is_restricted():
        raise DomainError(
            MerchantErrorCode.SHOP_RESTRICTED, {"shop": shop.name, "until": shop.restricted_until}
        )


def shop_open(*, owner, name: str) -> Shop:
    """Open a shop; the owner becomes its first staff member."""
    name = name.strip()
    if not name:
        raise DomainError(MerchantErrorCode.SHOP_NAME_REQUIRED, field="name")
    if owner.is_staff:
        # Separation of duties: platform staff decide shops' cases, so they never run one.
        raise DomainError(MerchantErrorCode.PLATFORM_STAFF)
    if ShopStaff.objects.filter(user=owner).exists():
        raise DomainError(MerchantErrorCode.ALREADY_MERCHANT)
    try:
        with transaction.atomic():
            shop = Shop.objects.create(name=name)
            ShopStaff.objects.create(user=owner, shop=shop, is_owner=True)
    except IntegrityError as exc:
        raise DomainError(MerchantErrorCode.SHOP_NAME_TAKEN, field="name") from exc
    return shop


def _price(price) -> Decimal:
    price = money_value(price, field="price")
    if price <= 0:
        raise DomainError(MerchantErrorCode.PRICE_NOT_POSITIVE, field="price")
    return price


def product_create(*, shop: Shop, title: str, price: Decimal, publish: bool = True) -> Product:
    """Create a product; refused while the shop is restricted."""
    price = _price(price)
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        _ensure_not_restricted(shop)
        return Product.objects.create(
            shop=shop, title=title.strip(), price=price, is_published=publish
        )


def product_publish(*, product: Product) -> Product:
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=product.shop_id)
        _ensure_not_restricted(shop)
        product.is_published = True
        product.save(update_fields=["is_published"])
    return product


def product_update(*, product: Product, title: str, price: Decimal) -> Product:
    """Change a product's title and price. Allowed while restricted: the shop is hidden then,
    and orders already placed keep the price they were sold at."""
    title = (title or "").strip()
    if not title:
        raise DomainError(MerchantErrorCode.PRODUCT_TITLE_REQUIRED, field="title")
    price = _price(price)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        product.title = title
        product.price = price
        product.save(update_fields=["title", "price"])
    return product


def product_unpublish(*, product: Product) -> Product:
    """Take a product off the catalogue (always allowed)."""
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        product.is_published = False
        product.save(update_fields=["is_published"])
    return product

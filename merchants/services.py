"""Writes for shops, products and return addresses."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import CoreErrorCode, DomainError
from core.money import money_value
from merchants.errors import MerchantErrorCode
from merchants.models import Product, ReturnAddress, Shop, ShopStaff


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


# --- return addresses ------------------------------------------------------------------------
# Lock order: the shop, then its addresses. Holding the shop's row serialises every change of
# a shop's default; the partial unique index `one_default_return_address_per_shop` is the last
# word should anything write around these functions.

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{3,18}[0-9]$")
_ADDRESS_LABELS = {
    "name": _("The recipient"),
    "phone": _("The phone number"),
    "region": _("The region"),
    "address": _("The street address"),
}


def _address_fields(**fields: str) -> dict[str, str]:
    cleaned = {}
    for field, value in fields.items():
        value = " ".join((value or "").split())
        label = _ADDRESS_LABELS[field]
        if not value:
            raise DomainError(CoreErrorCode.TEXT_REQUIRED, {"what": label}, field=field)
        limit = ReturnAddress._meta.get_field(field).max_length
        if len(value) > limit:
            raise DomainError(
                CoreErrorCode.TEXT_TOO_LONG, {"what": label, "limit": limit}, field=field
            )
        cleaned[field] = value
    digits = sum(c.isdigit() for c in cleaned["phone"])
    if not _PHONE.match(cleaned["phone"]) or not 5 <= digits <= 20:
        raise DomainError(MerchantErrorCode.RETURN_PHONE_INVALID, field="phone")
    return cleaned


def return_address_add(
    *, shop: Shop, name: str, phone: str, region: str, address: str, make_default: bool = False
) -> ReturnAddress:
    """Add a return address; the shop's first one becomes its default, as does one added with
    `make_default` (the old default then stops being one, in the same transaction)."""
    fields = _address_fields(name=name, phone=phone, region=region, address=address)
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        has_default = ReturnAddress.objects.filter(shop=shop, is_default=True).exists()
        return_address = ReturnAddress.objects.create(
            shop=shop, is_default=not has_default, **fields
        )
        if make_default:
            _move_default(return_address)
        return return_address


def _move_default(return_address: ReturnAddress) -> None:
    """Make `return_address` its shop's default; the caller holds the shop's lock. The old
    default is cleared first: the partial unique index is checked row by row."""
    if return_address.is_default:
        return
    ReturnAddress.objects.filter(shop_id=return_address.shop_id, is_default=True).update(
        is_default=False
    )
    return_address.is_default = True
    return_address.save(update_fields=["is_default"])


def return_address_update(
    *,
    return_address: ReturnAddress,
    name: str,
    phone: str,
    region: str,
    address: str,
    make_default: bool = False,
) -> ReturnAddress:
    """Change an address (and, with `make_default`, make it the default). Requests that copied
    it keep their copy: their parcels are on the way."""
    fields = _address_fields(name=name, phone=phone, region=region, address=address)
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=return_address.shop_id)
        return_address = ReturnAddress.objects.select_for_update().get(pk=return_address.pk)
        for field, value in fields.items():
            setattr(return_address, field, value)
        return_address.save(update_fields=list(fields))
        if make_default:
            _move_default(return_address)
    return return_address


def return_address_make_default(*, return_address: ReturnAddress) -> ReturnAddress:
    """Make this the address new returns go to; the shop's other default stops being one."""
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=return_address.shop_id)
        return_address = ReturnAddress.objects.select_for_update().get(pk=return_address.pk)
        _move_default(return_address)
    return return_address


def return_address_delete(*, return_address: ReturnAddress) -> ReturnAddress | None:
    """Delete an address. When it was the default, the newest remaining address becomes the
    default (returned), so a shop with addresses always has one; with none left, the shop
    cannot approve a return until it adds one."""
    with transaction.atomic():
        Shop.objects.select_for_update().get(pk=return_address.shop_id)
        return_address = ReturnAddress.objects.select_for_update().get(pk=return_address.pk)
        was_default = return_address.is_default
        shop_id = return_address.shop_id
        return_address.delete()
        if not was_default:
            return None
        successor = ReturnAddress.objects.filter(shop_id=shop_id).order_by("-created_at", "-id")
        successor = successor.select_for_update().first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])
        return successor

"""Writes for shops, products and return addresses.

Lock order: shop → product (a product's listing and images change with its row locked)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.errors import CoreErrorCode, DomainError
from core.images import checked_image, deletes_its_files_on_failure, remember_written
from core.money import money_value
from merchants.errors import MerchantErrorCode
from merchants.models import (
    MAX_PRODUCT_IMAGES,
    PRODUCT_DESCRIPTION_LENGTH,
    PRODUCT_SPECIFICATION_LENGTH,
    Product,
    ProductImage,
    ReturnAddress,
    Shop,
    ShopStaff,
)


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


def _text(value: str | None, *, field: str, limit: int, label) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(CoreErrorCode.TEXT_TOO_LONG, {"what": label, "limit": limit}, field=field)
    return value


def _description(value: str | None) -> str:
    return _text(
        value,
        field="description",
        limit=PRODUCT_DESCRIPTION_LENGTH,
        label=pgettext_lazy("product", "The description"),
    )


def _specification(value: str | None) -> str:
    return _text(
        value,
        field="specification",
        limit=PRODUCT_SPECIFICATION_LENGTH,
        label=_("The specification"),
    )


@deletes_its_files_on_failure
def product_create(
    *,
    shop: Shop,
    title: str,
    price: Decimal,
    description: str = "",
    specification: str = "",
    images: Sequence = (),
    publish: bool = True,
) -> Product:
    """Create a product with its pictures (checked as evidence is); refused while the shop is
    restricted."""
    price = _price(price)
    description, specification = _description(description), _specification(specification)
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        _ensure_not_restricted(shop)
        product = Product.objects.create(
            shop=shop,
            title=title.strip(),
            price=price,
            description=description,
            specification=specification,
            is_published=publish,
        )
        _store_images(product, images, revised=False)  # its first revision, pictures and all
    return product


def product_publish(*, product: Product) -> Product:
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=product.shop_id)
        _ensure_not_restricted(shop)
        product.is_published = True
        product.save(update_fields=["is_published"])
    return product


@deletes_its_files_on_failure
def product_update(
    *,
    product: Product,
    title: str,
    price: Decimal,
    description: str | None = None,
    specification: str | None = None,
    images: Sequence = (),
) -> Product:
    """Change a product's listing (a description or specification of None stays as it is) and
    add `images` after its others. Allowed while restricted: the shop is hidden then, and
    orders already placed keep the listing they were sold with (their snapshots). Any change
    of what a buyer sees counts as a new revision."""
    title = (title or "").strip()
    if not title:
        raise DomainError(MerchantErrorCode.PRODUCT_TITLE_REQUIRED, field="title")
    price = _price(price)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        listing = {
            "title": title,
            "price": price,
            "description": product.description
            if description is None
            else _description(description),
            "specification": product.specification
            if specification is None
            else _specification(specification),
        }
        changed = [name for name, value in listing.items() if getattr(product, name) != value]
        for name in changed:
            setattr(product, name, listing[name])
        if changed:
            product.save(update_fields=changed)
            _revised(product)
        _store_images(product, images)
    return product


def _revised(product: Product) -> None:
    """Count a change of the locked product's listing."""
    Product.objects.filter(pk=product.pk).update(revision=F("revision") + 1)
    product.refresh_from_db(fields=["revision"])


def _store_images(
    product: Product, images: Sequence, *, revised: bool = True
) -> list[ProductImage]:
    """Check and store `images` after the locked product's others (at most MAX_PRODUCT_IMAGES
    in all), as a new revision unless `revised` is False. The caller is decorated
    `deletes_its_files_on_failure`."""
    if not images:
        return []
    existing = ProductImage.objects.filter(product=product).count()
    if existing + len(images) > MAX_PRODUCT_IMAGES:
        raise DomainError(
            MerchantErrorCode.PRODUCT_IMAGE_LIMIT,
            {"limit": MAX_PRODUCT_IMAGES, "given": existing},
            field="images",
        )
    stored = []
    for position, upload in enumerate(images, start=existing):
        try:
            image, content_type = checked_image(upload)
        except DomainError as error:  # named by the field the listing's images come in
            raise DomainError(error.code, error.params, field="images") from error
        row = ProductImage.objects.create(
            product=product,
            position=position,
            image=image,
            content_type=content_type,
            size=image.size,
        )
        remember_written(row.image)
        stored.append(row)
    if revised:
        _revised(product)
    return stored


@deletes_its_files_on_failure
def product_add_images(*, product: Product, images: Sequence) -> list[ProductImage]:
    """Add pictures after the product's others (checked as evidence is; at most 5 in all)."""
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        return _store_images(product, images)


def product_remove_image(*, image: ProductImage) -> Product:
    """Delete one of a product's pictures; those after it move up. The file goes once the
    removal is committed (the orders' snapshots hold copies of their own)."""
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=image.product_id)
        image = ProductImage.objects.filter(pk=image.pk, product=product).first()
        if image is None:  # removed already
            return product
        name, storage = image.image.name, image.image.storage
        image.delete()
        # One row at a time, into the place just freed: the positions stay unique throughout.
        for later in ProductImage.objects.filter(product=product, position__gt=image.position):
            later.position -= 1
            later.save(update_fields=["position"])
        _revised(product)
        transaction.on_commit(lambda: storage.delete(name))
    return product


def product_move_image(*, image: ProductImage, offset: int) -> Product:
    """Move a picture `offset` places (-1: earlier, 1: later; the first is the cover). The two
    rows exchange their files, so that the positions stay unique throughout and a file's URL
    keeps showing the same picture."""
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=image.product_id)
        image = ProductImage.objects.filter(pk=image.pk, product=product).first()
        if image is None:
            return product
        other = ProductImage.objects.filter(
            product=product, position=image.position + offset
        ).first()
        if other is None:  # the first moved earlier, the last later: nothing to do
            return product
        mine = (image.image.name, image.content_type, image.size)
        theirs = (other.image.name, other.content_type, other.size)
        # The file names are unique: free the second row's before the first takes it.
        ProductImage.objects.filter(pk=other.pk).update(image=f"moving/{other.pk}")
        for row, (name, content_type, size) in ((image, theirs), (other, mine)):
            row.image, row.content_type, row.size = name, content_type, size
            row.save(update_fields=["image", "content_type", "size"])
        _revised(product)
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

"""Writes for orders: one function per transition, each locking the order row."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.errors import DomainError
from core.fsm import SYSTEM, apply_transition, check_transition
from core.images import deletes_its_files_on_failure, remember_written
from core.notices import notice
from core.rules import get_rules
from core.services import audit_record
from merchants.models import Product
from merchants.selectors import Listing, product_listing, shop_id_of
from orders.errors import OrderErrorCode
from orders.models import Order, OrderItem, OrderItemImage
from orders.payments import gateway


def lock_order(order_id: int) -> Order:
    """Lock order rows first, always: every workflow locks order → refund → intervention → shop."""
    return Order.objects.select_for_update().get(pk=order_id)


def _new_order_number(now) -> str:
    return f"{timezone.localtime(now):%y%m%d}{secrets.randbelow(10**10):010d}"


@deletes_its_files_on_failure
def order_place(*, buyer, product: Product, quantity: int, now=None) -> Order:
    """Buy `quantity` of `product`. The order's item keeps the listing as it is now, its trade
    snapshot: title, unit price, description, specification and copies of the images' files
    (written to storage: deleted again if the order is not placed)."""
    now = now or timezone.now()
    if quantity is None or quantity < 1:
        raise DomainError(OrderErrorCode.QUANTITY_TOO_LOW, field="quantity")
    if not product.is_published or product.shop.is_restricted(now):
        raise DomainError(OrderErrorCode.PRODUCT_NOT_FOR_SALE, field="product")
    if shop_id_of(buyer) == product.shop_id:
        raise DomainError(OrderErrorCode.OWN_SHOP, field="product")
    with transaction.atomic():
        listing = product_listing(product.pk)
        product = listing.product
        order = Order.objects.create(
            number=_new_order_number(now),
            buyer=buyer,
            shop_id=product.shop_id,
            total=product.price * quantity,
            created_at=now,
        )
        _item_as_sold(order, listing, quantity)
        audit_record(
            target=order,
            action="place",
            actor=buyer,
            to_state=order.state,
            note=notice(
                gettext_noop("%(quantity)s × %(product)s at ¥%(price)s"),
                quantity=quantity,
                product=product.title,
                price=product.price,
            ),
            at=now,
        )
    return order


def _item_as_sold(order: Order, listing: Listing, quantity: int) -> OrderItem:
    product = listing.product
    item = OrderItem.objects.create(
        order=order,
        product=product,
        title=product.title,
        quantity=quantity,
        unit_price=product.price,
        description=product.description,
        specification=product.specification,
        listing_revision=product.revision,
    )
    for image, content in listing.images:
        copy = OrderItemImage.objects.create(
            item=item,
            position=image.position,
            # Checked and cleaned when the shop uploaded it: copied as it is.
            image=ContentFile(content, name=image.image.name),
            content_type=image.content_type,
            size=image.size,
        )
        remember_written(copy.image)
    return item


def order_pay(*, order: Order, actor, now=None) -> Order:
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order.pk)
        # Who and which state first: a refused payment must never reach the gateway.
        check_transition(order, "pay", actor=actor)
        reference = gateway().charge(order_number=order.number, amount=order.total)
        apply_transition(order, "pay", actor=actor, note=reference, now=now)
    return order


def order_cancel(*, order: Order, actor, now=None) -> Order:
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order.pk)
        apply_transition(order, "cancel", actor=actor, now=now)
    return order


def order_ship(*, order: Order, actor, tracking_number: str, now=None) -> Order:
    now = now or timezone.now()
    tracking_number = (tracking_number or "").strip()
    if not tracking_number:
        raise DomainError(OrderErrorCode.TRACKING_NUMBER_REQUIRED, field="tracking_number")
    with transaction.atomic():
        order = lock_order(order.pk)
        apply_transition(
            order,
            "ship",
            actor=actor,
            note=tracking_number,
            now=now,
            tracking_number=tracking_number,
        )
    return order


def order_deliver(*, order: Order, actor=SYSTEM, now=None) -> Order:
    """Mark delivered, by the merchant or (actor None) the carrier's hook; starts auto-confirm."""
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order.pk)
        apply_transition(
            order,
            "deliver",
            actor=actor,
            now=now,
            auto_confirm_at=now + get_rules().order_auto_confirm_window,
        )
    return order


def order_confirm_receipt(*, order: Order, actor, now=None) -> Order:
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order.pk)
        apply_transition(order, "confirm_receipt", actor=actor, now=now)
    return order


def order_auto_confirm(*, order: Order, now=None) -> Order:
    """The system confirms receipt for a buyer silent past the window. Caller holds the lock."""
    now = now or timezone.now()
    apply_transition(order, "auto_confirm", actor=SYSTEM, now=now)
    return order


def order_apply_refund(*, order: Order, amount: Decimal, now) -> Order:
    """Add a refund to a locked order; the order becomes `refunded` once refunds reach the total.

    The database refuses refunds above the total (order_refunds_within_total).
    """
    if amount > order.refundable_amount:
        raise DomainError(
            OrderErrorCode.REFUND_ABOVE_REFUNDABLE,
            {"amount": amount, "refundable": order.refundable_amount},
            field="amount",
        )
    order.refunded_amount = order.refunded_amount + amount
    order.save(update_fields=["refunded_amount"])
    if order.refunded_amount >= order.total:
        apply_transition(order, "mark_refunded", actor=SYSTEM, now=now)
    return order

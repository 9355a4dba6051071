"""Money: the refund payment of a refunded request and the platform's reimbursement of a shop."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils.translation import gettext_noop

from core.notices import notice
from disputes.models import PlatformReimbursement, RefundPayment, RefundRequest, RefundState, Ruling
from disputes.services.notifications import tell_buyer
from orders.models import Order
from orders.payments import gateway
from orders.services import order_apply_refund

logger = logging.getLogger(__name__)


def pay(order: Order, refund: RefundRequest, now: datetime) -> RefundPayment:
    """The money movement of a refunded request: one payment record (the intent, not yet sent)
    and the order updated, in the caller's transaction. The gateway is called only once that
    transaction has committed (refund_payment_send), so a rollback never leaves money moved
    without its row; an unsent payment (no gateway reference) is retried by sending it again."""
    payment = RefundPayment.objects.create(
        refund=refund,
        order=order,
        amount=refund.amount,
        gateway_reference="",
        created_at=now,
    )
    transaction.on_commit(partial(refund_payment_send, payment_id=payment.pk), robust=True)
    order_apply_refund(order=order, amount=refund.amount, now=now)
    tell_buyer(
        refund,
        "refunded",
        notice(
            gettext_noop(
                "¥%(amount)s has been refunded for “%(goods)s” (order %(order)s): it goes "
                "back the way you paid, nothing more to do."
            ),
            amount=refund.amount,
        ),
        at=now,
    )
    return payment


def refund_payment_send(*, payment_id: int) -> RefundPayment:
    """Send a committed refund payment to the gateway, once: a payment that has its reference
    already is left alone, and the gateway is given the payment's own key, so a retry never
    moves the money twice. If the gateway fails, the payment stays unsent for the retry."""
    with transaction.atomic():
        payment = (
            RefundPayment.objects.select_for_update(of=("self",))
            .select_related("order")
            .get(pk=payment_id)
        )
        if not payment.gateway_reference:
            payment.gateway_reference = gateway().refund(
                order_number=payment.order.number,
                amount=payment.amount,
                key=f"refund-payment-{payment.pk}",
            )
            payment.save(update_fields=["gateway_reference"])
    return payment


def refund_payments_send_unsent(*, now: datetime, grace: timedelta = timedelta(minutes=5)) -> int:
    """Send every refund payment still unsent `grace` after it was recorded (the gateway
    failed, or the process died between the commit and the call); return how many were sent.
    For a periodic job. A gateway that fails again leaves the payment for the next run."""
    sent = 0
    unsent = RefundPayment.objects.filter(gateway_reference="", created_at__lte=now - grace)
    for payment_id in unsent.values_list("pk", flat=True).order_by("pk"):
        try:
            refund_payment_send(payment_id=payment_id)
        except Exception:
            logger.exception("Refund payment %s could not be sent; it stays unsent.", payment_id)
            continue
        sent += 1
    return sent


def reimburse_overturned(ruling: Ruling, payment: RefundPayment, now: datetime) -> None:
    """The platform pays the merchant back what the buyer was actually paid under a ruling that
    was overturned: a ruled return the buyer never shipped moved no money, so nothing."""
    PlatformReimbursement.objects.create(
        ruling=ruling, shop_id=payment.refund.shop_id, amount=payment.amount, created_at=now
    )


def settle_if_refunded(order: Order, refund: RefundRequest, now: datetime) -> RefundPayment | None:
    """Pay the buyer if the transition just made left the request refunded."""
    if refund.state == RefundState.REFUNDED:
        return pay(order, refund, now)
    return None


def reimburse_if_overturned(refund: RefundRequest, payment: RefundPayment | None, now) -> None:
    """A return the platform ordered is paid when the goods come back, which can be after its
    ruling was overturned: then the platform pays the shop back."""
    if payment is None or not refund.platform_ordered_return:
        return
    ruling = Ruling.objects.filter(intervention__refund=refund, overturned_at__isnull=False).first()
    if ruling is not None:
        reimburse_overturned(ruling, payment, now)

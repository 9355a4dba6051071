"""What the dispute workflows share: the fixed lock order and the checks of what was typed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise

from core.errors import CoreErrorCode, DomainError
from core.money import money_value
from core.rules import get_rules
from disputes.errors import DisputeErrorCode
from disputes.models import Intervention, OfferOutcome, RefundOffer, RefundRequest, RefundState
from orders.models import Order, OrderState
from orders.services import lock_order


def lock_refund(refund_id: int) -> tuple[Order, RefundRequest]:
    """Lock the order, then the refund (the fixed lock order)."""
    order_id = RefundRequest.objects.values_list("order_id", flat=True).get(pk=refund_id)
    order = lock_order(order_id)
    refund = RefundRequest.objects.select_for_update().get(pk=refund_id)
    refund.order = order  # the policies read the locked order, not a fresh copy
    return order, refund


def lock_open_offer(refund: RefundRequest) -> RefundOffer | None:
    """The open offer of a request that is `offered`, locked after the refund (the lock
    order's last step); None in any other state."""
    if refund.state != RefundState.OFFERED:
        return None
    return RefundOffer.objects.select_for_update().get(refund=refund, outcome=OfferOutcome.OPEN)


def answer_open_offer(offer: RefundOffer | None, outcome: str, now: datetime) -> None:
    """Write how the open offer ended, as the request leaves `offered`."""
    if offer is None:
        return
    offer.outcome = outcome
    offer.answered_at = now
    offer.save(update_fields=["outcome", "answered_at"])


def lock_case(intervention_id: int) -> tuple[Order, RefundRequest, Intervention]:
    refund_id = Intervention.objects.values_list("refund_id", flat=True).get(pk=intervention_id)
    order, refund = lock_refund(refund_id)
    intervention = Intervention.objects.select_for_update().get(pk=intervention_id)
    intervention.refund = refund  # the policies read the locked refund, not a fresh copy
    return order, refund, intervention


def resolve_now(now: datetime | None) -> datetime:
    return now or timezone.now()


def typed_text(value: str | None) -> str:
    """The text as its writer sees it: stripped, each line break one "\n" (a browser sends
    "\r\n", which would count a break twice against the length its field showed)."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_text(value: str | None, *, field: str, required: bool, label: Promise) -> str:
    """The text as typed (`typed_text`); `label` (translatable) names it in the refusals."""
    value = typed_text(value)
    if required and not value:
        raise DomainError(CoreErrorCode.TEXT_REQUIRED, {"what": label}, field=field)
    limit = get_rules().max_text_length
    if len(value) > limit:
        raise DomainError(CoreErrorCode.TEXT_TOO_LONG, {"what": label, "limit": limit}, field=field)
    return value


def parse_amount(amount, *, field: str = "amount") -> Decimal:
    """An amount of money as typed: a number of yuan above zero with at most two decimals."""
    if amount is None:
        raise DomainError(DisputeErrorCode.AMOUNT_REQUIRED, field=field)
    amount = money_value(amount, field=field)
    if amount <= 0:
        raise DomainError(DisputeErrorCode.AMOUNT_NOT_POSITIVE, field=field)
    return amount


def check_amount(amount: Decimal | None, order: Order) -> Decimal:
    """The amount a buyer asks for: at most what the order has left to refund."""
    amount = parse_amount(amount)
    if amount > order.refundable_amount:
        raise DomainError(
            DisputeErrorCode.AMOUNT_ABOVE_REFUNDABLE,
            {"refundable": order.refundable_amount},
            field="amount",
        )
    return amount


def response_deadline(order: Order, now: datetime) -> datetime:
    rules = get_rules()
    if order.state == OrderState.PAID:  # not shipped yet: the merchant answers sooner
        return now + rules.merchant_response_window_unshipped
    return now + rules.merchant_response_window

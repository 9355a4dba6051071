"""The system's own moves: the deadline sweep holds the row locks and calls these."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_noop

from core.fsm import SYSTEM, apply_transition
from core.notices import notice
from core.rules import get_rules
from disputes.models import Intervention, OfferOutcome, RefundKind, RefundRequest, RefundState
from disputes.services.common import answer_open_offer, lock_open_offer
from disputes.services.notifications import order_page, tell_buyer, tell_merchant
from disputes.services.returns import refund_snapshot_return_address
from disputes.services.settlement import reimburse_if_overturned, settle_if_refunded
from merchants.selectors import default_return_address
from orders.models import Order


def refund_auto_approve(*, order: Order, refund: RefundRequest, now: datetime) -> None:
    """The merchant stayed silent past the response window: silence is agreement. A return
    goes to the shop's default return address; a shop that has none has nowhere to take the
    goods, so the buyer is refunded and keeps them (退款不退货) rather than be left waiting
    with a parcel and no address."""
    without_return = (
        refund.kind == RefundKind.RETURN_AND_REFUND
        and default_return_address(refund.shop_id) is None
    )
    apply_transition(
        refund,
        "auto_approve",
        actor=SYSTEM,
        note=(
            "the merchant did not answer in time and has no return address"
            if without_return
            else "the merchant did not answer in time"
        ),
        now=now,
        return_deadline=now + get_rules().buyer_return_ship_window,
        without_return=without_return,
    )
    if refund.state == RefundState.AWAITING_RETURN:
        refund_snapshot_return_address(refund)
    settle_if_refunded(order, refund, now)
    tell_merchant(
        refund,
        "refund_auto_approved",
        notice(
            gettext_noop(
                "The request on “%(goods)s” (order %(order)s) was approved automatically: "
                "you did not answer in time. The buyer sends the goods back by %(deadline)s; "
                "confirm the parcel when it arrives."
            ),
            deadline=refund.deadline,
        )
        if refund.state == RefundState.AWAITING_RETURN
        else notice(
            gettext_noop(
                "The request on “%(goods)s” (order %(order)s) was approved automatically: "
                "you did not answer in time, and it is refunded."
            )
        ),
        at=now,
    )
    if refund.state == RefundState.AWAITING_RETURN:
        # Refunded at once, the buyer hears it from the payment; a return is theirs to do.
        tell_buyer(
            refund,
            "refund_auto_approved",
            notice(
                gettext_noop(
                    "Your request on “%(goods)s” (order %(order)s) was approved: send the "
                    "goods back and enter the tracking number by %(deadline)s, or the "
                    "request closes."
                ),
                deadline=refund.deadline,
            ),
            at=now,
        )


def refund_auto_close(*, refund: RefundRequest, now: datetime) -> None:
    """The buyer stayed silent past the window after a rejection, an offer or an agreed
    return (an open offer is closed as not answered in time)."""
    offer = lock_open_offer(refund)
    apply_transition(
        refund,
        "auto_close",
        actor=SYSTEM,
        note="the buyer did not act in time",
        now=now,
    )
    answer_open_offer(offer, OfferOutcome.EXPIRED, now)
    tell_buyer(
        refund,
        "refund_closed",
        notice(
            gettext_noop(
                "Your request on “%(goods)s” (order %(order)s) closed: the time to act ran "
                "out. While the order's after-sales window is open you may file a new one "
                "from the order."
            )
        ),
        at=now,
        link=order_page(refund),
    )


def refund_auto_confirm_return(*, order: Order, refund: RefundRequest, now: datetime) -> None:
    """The merchant did not confirm the returned parcel in time: the refund goes out."""
    apply_transition(
        refund,
        "auto_confirm_return",
        actor=SYSTEM,
        note="the merchant did not confirm the return in time",
        now=now,
    )
    payment = settle_if_refunded(order, refund, now)
    reimburse_if_overturned(refund, payment, now)


def intervention_close_evidence(*, intervention: Intervention, now: datetime) -> Intervention:
    """The evidence window is over (or both parties submitted): the agent's SLA starts.
    The caller holds the intervention's lock."""
    apply_transition(
        intervention,
        "close_evidence",
        actor=SYSTEM,
        ruling_deadline=now + get_rules().ruling_sla,
        at=now,
    )
    return intervention

"""The buyer files and revises, the merchant answers, the goods go back: the refund workflow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import DomainError
from core.fsm import apply_transition
from core.images import deletes_its_files_on_failure
from core.notices import Labelled, notice
from core.rules import get_rules
from core.services import audit_record
from disputes.errors import DisputeErrorCode
from disputes.models import (
    Courier,
    OfferOutcome,
    Party,
    RefundKind,
    RefundOffer,
    RefundReason,
    RefundRequest,
    RefundState,
)
from disputes.policies import may_act_on_refund, may_file_refund, may_offer_terms
from disputes.services.common import (
    answer_open_offer,
    check_amount,
    clean_text,
    lock_open_offer,
    lock_refund,
    parse_amount,
    resolve_now,
    response_deadline,
)
from disputes.services.evidence import store_evidence
from disputes.services.notifications import tell_buyer, tell_merchant
from disputes.services.returns import refund_snapshot_return_address
from disputes.services.settlement import reimburse_if_overturned, settle_if_refunded
from orders.models import Order, OrderState
from orders.services import lock_order

TRACKING_NUMBER_LENGTH = RefundRequest._meta.get_field("return_tracking_number").max_length


@deletes_its_files_on_failure
def refund_file(
    *,
    buyer,
    order: Order,
    kind: str,
    reason: str,
    amount: Decimal,
    description: str = "",
    images: Sequence = (),
    now: datetime | None = None,
) -> RefundRequest:
    """File an after-sales request; the merchant must answer before the stored deadline."""
    now = resolve_now(now)
    if kind not in RefundKind.values:
        raise DomainError(DisputeErrorCode.KIND_CHOICE, field="kind")
    if reason not in RefundReason.values:
        raise DomainError(DisputeErrorCode.REASON_CHOICE, field="reason")
    description = clean_text(
        description, field="description", required=False, label=_("The description")
    )
    with transaction.atomic():
        order = lock_order(order.pk)
        may_file_refund(order, buyer, reason=reason, now=now).enforce()
        if kind == RefundKind.RETURN_AND_REFUND and order.state == OrderState.PAID:
            raise DomainError(DisputeErrorCode.NOT_SHIPPED_REFUND_ONLY, field="kind")
        amount = check_amount(amount, order)
        # No savepoint of its own: the refusal below leaves this block at once, and this
        # block's savepoint (or transaction) rolls the failed INSERT back.
        try:
            refund = RefundRequest.objects.create(
                order=order,
                buyer=buyer,
                shop_id=order.shop_id,
                kind=kind,
                reason=reason,
                amount=amount,
                description=description,
                created_at=now,
                deadline=response_deadline(order, now),
            )
        except IntegrityError as exc:  # a concurrent filing won the one-open-request constraint
            raise DomainError(DisputeErrorCode.OPEN_REQUEST_EXISTS, state=order.state) from exc
        audit_record(
            target=refund,
            action="file",
            actor=buyer,
            to_state=refund.state,
            note=notice(
                gettext_noop("¥%(amount)s: %(reason)s"),
                amount=amount,
                reason=Labelled.of(refund, "reason"),
            ),
            at=now,
        )
        store_evidence(refund=refund, party=Party.BUYER, actor=buyer, images=images, now=now)
        tell_merchant(
            refund,
            "refund_filed",
            notice(
                gettext_noop(
                    "New after-sales request on “%(goods)s” (order %(order)s): %(kind)s, "
                    "¥%(amount)s. Approve it, reject it or make an offer by %(deadline)s, or it "
                    "is approved automatically."
                ),
                kind=Labelled.of(refund, "kind"),
                amount=amount,
                deadline=refund.deadline,
            ),
            at=now,
        )
    return refund


def refund_approve(*, refund: RefundRequest, actor, now: datetime | None = None) -> RefundRequest:
    """The merchant agrees: refunded at once (refund only) or the buyer sends the goods back to
    the shop's default return address, copied onto the request; refused (`no_return_address`,
    nothing changed) while the shop has none."""
    now = resolve_now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "approve", now=now).enforce()
        apply_transition(
            refund,
            "approve",
            actor=actor,
            now=now,
            return_deadline=now + get_rules().buyer_return_ship_window,
        )
        settle_if_refunded(order, refund, now)
        if refund.state == RefundState.AWAITING_RETURN:
            refund_snapshot_return_address(refund)
            tell_buyer(
                refund,
                "return_requested",
                notice(
                    gettext_noop(
                        "The shop agreed to your request on “%(goods)s” (order %(order)s): send "
                        "the goods back and enter the tracking number by %(deadline)s, or the "
                        "request closes."
                    ),
                    deadline=refund.deadline,
                ),
                at=now,
            )
    return refund


def refund_approve_without_return(
    *, refund: RefundRequest, actor, now: datetime | None = None
) -> RefundRequest:
    """退款不退货: the merchant refunds and lets the buyer keep the goods."""
    now = resolve_now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "approve_without_return", now=now).enforce()
        apply_transition(refund, "approve_without_return", actor=actor, now=now)
        settle_if_refunded(order, refund, now)
    return refund


@deletes_its_files_on_failure
def refund_reject(
    *, refund: RefundRequest, actor, reason: str, images: Sequence = (), now: datetime | None = None
) -> RefundRequest:
    """The merchant refuses, with a reason; the buyer may revise or escalate within the window."""
    now = resolve_now(now)
    reason = clean_text(
        reason, field="reason", required=True, label=_("A reason for the rejection")
    )
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "reject", now=now).enforce()
        apply_transition(
            refund,
            "reject",
            actor=actor,
            note=reason,
            now=now,
            reason=reason,
            deadline=now + get_rules().buyer_rejection_window,
        )
        store_evidence(refund=refund, party=Party.MERCHANT, actor=actor, images=images, now=now)
        tell_buyer(
            refund,
            "refund_rejected",
            notice(
                gettext_noop(
                    "The shop rejected your request on “%(goods)s” (order %(order)s): "
                    "“%(reason)s”. Edit it or apply for platform intervention by %(deadline)s, "
                    "or the request closes."
                ),
                reason=reason,
                deadline=refund.deadline,
            ),
            at=now,
        )
    return refund


def refund_offer(
    *,
    refund: RefundRequest,
    actor,
    amount: Decimal,
    return_required: bool,
    message: str,
    now: datetime | None = None,
) -> RefundOffer:
    """协商方案: instead of approving or rejecting, the shop offers less than the amount asked,
    with or without the goods back, and says why. The buyer has the rejection window to accept
    or decline it. Writes the offer, the audit entry and the buyer's notice; the offer counts
    as the shop answering in time."""
    now = resolve_now(now)
    message = clean_text(message, field="message", required=True, label=_("A message to the buyer"))
    amount = parse_amount(amount)
    return_required = bool(return_required)
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "offer", now=now).enforce()
        may_offer_terms(refund, amount, return_required=return_required).enforce()
        asked = refund.amount
        apply_transition(
            refund,
            "offer",
            actor=actor,
            note=f"¥{amount}: {message}",
            now=now,
            deadline=now + get_rules().buyer_rejection_window,
        )
        offer = RefundOffer.objects.create(
            refund=refund,
            made_by=actor,
            amount=amount,
            asked_amount=asked,
            return_required=return_required,
            message=message,
            created_at=now,
        )
        text = (
            gettext_noop(
                "The shop offers ¥%(amount)s instead of the ¥%(asked)s you asked for "
                "“%(goods)s” (order %(order)s), once the goods are back: “%(message)s”. "
                "Accept or decline it by %(deadline)s, or the request closes."
            )
            if return_required
            else gettext_noop(
                "The shop offers ¥%(amount)s instead of the ¥%(asked)s you asked for "
                "“%(goods)s” (order %(order)s), and you keep the goods: “%(message)s”. "
                "Accept or decline it by %(deadline)s, or the request closes."
            )
        )
        tell_buyer(
            refund,
            "offer_made",
            notice(
                text,
                amount=amount,
                asked=asked,
                message=message,
                deadline=refund.deadline,
            ),
            at=now,
        )
    return offer


def refund_accept_offer(
    *, refund: RefundRequest, actor, now: datetime | None = None
) -> RefundRequest:
    """The buyer takes the shop's offer: the request is for the offered amount from now on,
    refunded at once (its one refund payment) or, when the offer asks for the goods, once
    they are back at the shop's default return address, copied onto the request (refused,
    `no_return_address`, if the shop has removed every address since). The shop is told."""
    now = resolve_now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "accept_offer", now=now).enforce()
        offer = lock_open_offer(refund)
        apply_transition(
            refund,
            "accept_offer",
            actor=actor,
            note=f"¥{offer.amount}",
            now=now,
            amount=offer.amount,
            return_required=offer.return_required,
            return_deadline=now + get_rules().buyer_return_ship_window,
        )
        answer_open_offer(offer, OfferOutcome.ACCEPTED, now)
        settle_if_refunded(order, refund, now)
        if refund.state == RefundState.AWAITING_RETURN:
            refund_snapshot_return_address(refund)
        if offer.return_required:
            message = notice(
                gettext_noop(
                    "The buyer accepted your offer of ¥%(amount)s on “%(goods)s” (order "
                    "%(order)s) and sends the goods back by %(deadline)s: confirm the parcel "
                    "when it arrives."
                ),
                amount=offer.amount,
                deadline=refund.deadline,
            )
        else:
            message = notice(
                gettext_noop(
                    "The buyer accepted your offer of ¥%(amount)s on “%(goods)s” (order "
                    "%(order)s): it is refunded, nothing more to do."
                ),
                amount=offer.amount,
            )
        tell_merchant(refund, "offer_accepted", message, at=now)
    return refund


def refund_decline_offer(
    *, refund: RefundRequest, actor, now: datetime | None = None
) -> RefundRequest:
    """The buyer turns the shop's offer down: the request stands rejected, and the buyer may
    edit it or apply for platform intervention within the rejection window. The shop is
    told."""
    now = resolve_now(now)
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "decline_offer", now=now).enforce()
        offer = lock_open_offer(refund)
        apply_transition(
            refund,
            "decline_offer",
            actor=actor,
            at=now,
            deadline=now + get_rules().buyer_rejection_window,
        )
        answer_open_offer(offer, OfferOutcome.DECLINED, now)
        tell_merchant(
            refund,
            "offer_declined",
            notice(
                gettext_noop(
                    "The buyer declined your offer of ¥%(amount)s on “%(goods)s” (order "
                    "%(order)s). Until %(deadline)s they may edit the request or apply for "
                    "platform intervention; you may write to them meanwhile."
                ),
                amount=offer.amount,
                deadline=refund.deadline,
            ),
            at=now,
        )
    return refund


@deletes_its_files_on_failure
def refund_revise(
    *,
    refund: RefundRequest,
    actor,
    amount: Decimal,
    reason: str,
    description: str = "",
    images: Sequence = (),
    now: datetime | None = None,
) -> RefundRequest:
    """The buyer changes a rejected request and sends it to the merchant again."""
    now = resolve_now(now)
    if reason not in RefundReason.values:
        raise DomainError(DisputeErrorCode.REASON_CHOICE, field="reason")
    description = clean_text(
        description, field="description", required=False, label=_("The description")
    )
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "revise", now=now).enforce()
        amount = check_amount(amount, order)
        apply_transition(
            refund,
            "revise",
            actor=actor,
            note=f"¥{amount}",
            amount=amount,
            reason=reason,
            description=description,
            deadline=response_deadline(order, now),
            at=now,
        )
        store_evidence(refund=refund, party=Party.BUYER, actor=actor, images=images, now=now)
        tell_merchant(
            refund,
            "refund_revised",
            notice(
                gettext_noop(
                    "The buyer edited the request on “%(goods)s” (order %(order)s): approve "
                    "it, reject it or make an offer by %(deadline)s, or it is approved "
                    "automatically."
                ),
                deadline=refund.deadline,
            ),
            at=now,
        )
    return refund


def refund_cancel(*, refund: RefundRequest, actor, now: datetime | None = None) -> RefundRequest:
    """The buyer withdraws the request (an open offer on it ends with it)."""
    now = resolve_now(now)
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "cancel", now=now).enforce()
        offer = lock_open_offer(refund)
        apply_transition(refund, "cancel", actor=actor, now=now)
        answer_open_offer(offer, OfferOutcome.CANCELLED, now)
        tell_merchant(
            refund,
            "refund_cancelled",
            notice(
                gettext_noop(
                    "The buyer cancelled the request on “%(goods)s” (order %(order)s): "
                    "nothing more to do."
                )
            ),
            at=now,
        )
    return refund


def refund_ship_return(
    *,
    refund: RefundRequest,
    actor,
    courier: str,
    tracking_number: str,
    now: datetime | None = None,
) -> RefundRequest:
    """The buyer sent the goods back with `courier` (a Courier) under `tracking_number`; the
    shop confirms the parcel before the window ends."""
    now = resolve_now(now)
    if courier not in Courier.values:
        raise DomainError(DisputeErrorCode.COURIER_CHOICE, field="courier")
    tracking_number = (tracking_number or "").strip()
    if not tracking_number:
        raise DomainError(DisputeErrorCode.RETURN_TRACKING_REQUIRED, field="tracking_number")
    if len(tracking_number) > TRACKING_NUMBER_LENGTH:
        raise DomainError(
            DisputeErrorCode.RETURN_TRACKING_TOO_LONG,
            {"limit": TRACKING_NUMBER_LENGTH},
            field="tracking_number",
        )
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "ship_return", now=now).enforce()
        apply_transition(
            refund,
            "ship_return",
            actor=actor,
            note=tracking_number,
            courier=courier,
            tracking_number=tracking_number,
            deadline=now + get_rules().merchant_return_confirm_window,
            at=now,
        )
        tell_merchant(
            refund,
            "return_shipped",
            notice(
                gettext_noop(
                    "The buyer shipped “%(goods)s” (order %(order)s) back with %(courier)s "
                    "%(tracking)s: confirm the parcel by %(deadline)s, or the refund is paid "
                    "automatically."
                ),
                courier=Labelled.of(refund, "return_courier"),
                tracking=tracking_number,
                deadline=refund.deadline,
            ),
            at=now,
        )
    return refund


def refund_confirm_return(
    *, refund: RefundRequest, actor, now: datetime | None = None
) -> RefundRequest:
    now = resolve_now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "confirm_return", now=now).enforce()
        apply_transition(refund, "confirm_return", actor=actor, now=now)
        payment = settle_if_refunded(order, refund, now)
        reimburse_if_overturned(refund, payment, now)
    return refund

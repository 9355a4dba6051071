"""Writes for refunds, interventions, rulings and appeals: one function per action.

Each runs in one transaction, locks order → refund → intervention (and the penalties service
locks the shop last), checks that the actor may act, transitions, saves, writes the audit
entry and the notifications, and calls the penalty service when a ruling goes against the shop.
Functions for the system's own moves (auto_*) expect the sweep to hold the row locks already.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from core.fsm import SYSTEM, apply_transition, check_transition
from core.images import validate_image
from core.models import ActorRole
from core.roles import is_agent
from core.rules import get_rules
from core.services import audit_record, notify
from disputes.models import (
    OPEN_REFUND_STATES,
    Appeal,
    AppealDecision,
    Evidence,
    Intervention,
    InterventionState,
    Party,
    PlatformReimbursement,
    RefundKind,
    RefundPayment,
    RefundReason,
    RefundRequest,
    RefundState,
    Ruling,
    RulingOutcome,
)
from merchants.selectors import is_staff_of
from orders.models import Order, OrderState
from orders.payments import gateway
from orders.services import lock_order, order_apply_refund
from penalties.services import penalties_reverse_for_ruling, penalty_record_for_ruling

FILEABLE_ORDER_STATES = {OrderState.PAID, OrderState.SHIPPED, OrderState.DELIVERED}


# --- locking and small helpers -------------------------------------------------------------


def lock_refund(refund_id: int) -> tuple[Order, RefundRequest]:
    """Lock the order, then the refund (the fixed lock order)."""
    order_id = RefundRequest.objects.values_list("order_id", flat=True).get(pk=refund_id)
    order = lock_order(order_id)
    refund = RefundRequest.objects.select_for_update().get(pk=refund_id)
    return order, refund


def lock_case(intervention_id: int) -> tuple[Order, RefundRequest, Intervention]:
    refund_id = Intervention.objects.values_list("refund_id", flat=True).get(pk=intervention_id)
    order, refund = lock_refund(refund_id)
    intervention = Intervention.objects.select_for_update().get(pk=intervention_id)
    return order, refund, intervention


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _text(value: str | None, *, field: str, required: bool, label: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{label} is required.", field=field)
    limit = get_rules().max_text_length
    if len(value) > limit:
        raise InvalidInput(f"{label} may be at most {limit} characters.", field=field)
    return value


def _check_amount(amount: Decimal | None, order: Order) -> Decimal:
    if amount is None:
        raise InvalidInput("Enter the amount to refund.", field="amount")
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidInput("Enter the amount as a number, e.g. 39.90.", field="amount") from exc
    if not amount.is_finite():
        raise InvalidInput("Enter the amount as a number, e.g. 39.90.", field="amount")
    if amount <= 0:
        raise InvalidInput("The amount must be more than ¥0.", field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("The amount has at most two decimal places.", field="amount")
    if amount > order.refundable_amount:
        raise InvalidInput(
            f"The amount may be at most ¥{order.refundable_amount} (paid less already refunded).",
            field="amount",
        )
    return amount


def _check_open_window(refund: RefundRequest, now: datetime, what: str) -> None:
    if refund.deadline is not None and now > refund.deadline:
        raise TransitionNotAllowed(
            f"The window to {what} closed at {timezone.localtime(refund.deadline):%Y-%m-%d %H:%M}.",
            state=refund.state,
        )


def _response_deadline(order: Order, now: datetime) -> datetime:
    rules = get_rules()
    if order.state == OrderState.PAID:  # not shipped yet: the merchant answers sooner
        return now + rules.merchant_response_window_unshipped
    return now + rules.merchant_response_window


def _merchant_users(shop_id: int):
    from merchants.models import ShopStaff

    return [m.user for m in ShopStaff.objects.filter(shop_id=shop_id).select_related("user")]


def _tell_buyer(refund: RefundRequest, kind: str, message: str, *, at: datetime) -> None:
    notify(recipients=[refund.buyer], kind=kind, message=message, target=refund, at=at)


def _tell_merchant(refund: RefundRequest, kind: str, message: str, *, at: datetime) -> None:
    notify(
        recipients=_merchant_users(refund.shop_id), kind=kind, message=message, target=refund, at=at
    )


def _pay(order: Order, refund: RefundRequest, now: datetime) -> RefundPayment:
    """The money movement of a refunded request: one payment record, the order updated."""
    reference = gateway().refund(order_number=order.number, amount=refund.amount)
    payment = RefundPayment.objects.create(
        refund=refund,
        order=order,
        amount=refund.amount,
        gateway_reference=reference,
        created_at=now,
    )
    order_apply_refund(order=order, amount=refund.amount, now=now)
    _tell_buyer(
        refund, "refunded", f"¥{refund.amount} has been refunded for order {order.number}.", at=now
    )
    if refund.platform_ordered_return:
        # A return the platform ordered can be paid after its ruling was overturned.
        ruling = Ruling.objects.filter(
            intervention__refund=refund, overturned_at__isnull=False
        ).first()
        if ruling is not None:
            _reimburse_overturned(ruling, payment, now)
    return payment


def _reimburse_overturned(ruling: Ruling, payment: RefundPayment, now: datetime) -> None:
    """The platform pays the merchant back what the buyer was actually paid under a ruling that
    was overturned: a ruled return the buyer never shipped moved no money, so nothing."""
    PlatformReimbursement.objects.create(
        ruling=ruling, shop_id=payment.refund.shop_id, amount=payment.amount, created_at=now
    )


def _settle_if_refunded(order: Order, refund: RefundRequest, now: datetime) -> None:
    if refund.state == RefundState.REFUNDED:
        _pay(order, refund, now)


def _party_of(refund: RefundRequest, actor) -> str:
    if actor.is_authenticated and refund.buyer_id == actor.pk:
        return Party.BUYER
    if is_staff_of(actor, refund.shop_id):
        return Party.MERCHANT
    raise PermissionDenied("Only the buyer and the shop may add evidence to this request.")


def _store_evidence(
    *,
    refund: RefundRequest,
    party: str,
    actor,
    images: Sequence,
    now: datetime,
    intervention: Intervention | None = None,
    appeal: Appeal | None = None,
) -> list[Evidence]:
    if not images:
        return []
    rules = get_rules()
    existing = Evidence.objects.filter(
        refund=refund, intervention=intervention, party=party
    ).count()
    if existing + len(images) > rules.max_evidence_per_party:
        raise InvalidInput(
            f"Each party may give at most {rules.max_evidence_per_party} images "
            f"({existing} given already).",
            field="image",
        )
    stored = []
    for image in images:
        content_type = validate_image(image)
        stored.append(
            Evidence.objects.create(
                refund=refund,
                intervention=intervention,
                appeal=appeal,
                party=party,
                uploaded_by=actor,
                image=image,
                content_type=content_type,
                size=image.size,
                created_at=now,
            )
        )
    return stored


# --- the buyer files and the merchant answers ----------------------------------------------


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
    now = _now(now)
    rules = get_rules()
    if kind not in RefundKind.values:
        raise InvalidInput("Choose refund only or return and refund.", field="kind")
    if reason not in RefundReason.values:
        raise InvalidInput("Choose a reason from the list.", field="reason")
    description = _text(description, field="description", required=False, label="The description")
    with transaction.atomic():
        order = lock_order(order.pk)
        if order.buyer_id != buyer.pk:
            raise PermissionDenied("Only the buyer of an order can ask for its refund.")
        if order.state == OrderState.COMPLETED:
            window = (
                rules.no_reason_return_window
                if reason == RefundReason.NO_REASON_7_DAYS
                else rules.after_sales_window
            )
            if order.completed_at + window < now:
                raise TransitionNotAllowed(
                    "The after-sales window for this order has closed.", state=order.state
                )
        elif order.state not in FILEABLE_ORDER_STATES:
            raise TransitionNotAllowed(
                f"An order that is {order.get_state_display().lower()} cannot be refunded.",
                state=order.state,
            )
        if kind == RefundKind.RETURN_AND_REFUND and order.state == OrderState.PAID:
            raise InvalidInput("Nothing has been shipped yet: ask for a refund only.", field="kind")
        if RefundRequest.objects.filter(order=order, state__in=OPEN_REFUND_STATES).exists():
            raise TransitionNotAllowed(
                "This order already has an open after-sales request.", state=order.state
            )
        amount = _check_amount(amount, order)
        try:
            with transaction.atomic():
                refund = RefundRequest.objects.create(
                    order=order,
                    buyer=buyer,
                    shop_id=order.shop_id,
                    kind=kind,
                    reason=reason,
                    amount=amount,
                    description=description,
                    created_at=now,
                    deadline=_response_deadline(order, now),
                )
        except IntegrityError as exc:  # a concurrent filing won the one-open-request constraint
            raise TransitionNotAllowed(
                "This order already has an open after-sales request.", state=order.state
            ) from exc
        audit_record(
            target=refund,
            action="file",
            actor=buyer,
            actor_role=ActorRole.BUYER,
            to_state=refund.state,
            note=f"¥{amount}: {refund.get_reason_display()}",
            at=now,
        )
        _store_evidence(refund=refund, party=Party.BUYER, actor=buyer, images=images, now=now)
        _tell_merchant(
            refund,
            "refund_filed",
            f"New {refund.get_kind_display()} request of ¥{amount} on order {order.number}: "
            f"answer by {timezone.localtime(refund.deadline):%Y-%m-%d %H:%M}.",
            at=now,
        )
    return refund


def refund_approve(*, refund: RefundRequest, actor, now: datetime | None = None) -> RefundRequest:
    """The merchant agrees: refunded at once (refund only) or the buyer sends the goods back."""
    now = _now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        apply_transition(
            refund,
            "approve",
            actor=actor,
            actor_role=ActorRole.MERCHANT,
            update_fields=["responded_at", "deadline", "closed_at"],
            now=now,
            return_deadline=now + get_rules().buyer_return_ship_window,
        )
        _settle_if_refunded(order, refund, now)
        if refund.state == RefundState.AWAITING_RETURN:
            _tell_buyer(
                refund,
                "return_requested",
                f"The shop agreed: send the goods back by "
                f"{timezone.localtime(refund.deadline):%Y-%m-%d %H:%M}.",
                at=now,
            )
    return refund


def refund_approve_without_return(
    *, refund: RefundRequest, actor, now: datetime | None = None
) -> RefundRequest:
    """退款不退货: the merchant refunds and lets the buyer keep the goods."""
    now = _now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        apply_transition(
            refund,
            "approve_without_return",
            actor=actor,
            actor_role=ActorRole.MERCHANT,
            update_fields=["responded_at", "deadline", "closed_at"],
            now=now,
        )
        _settle_if_refunded(order, refund, now)
    return refund


def refund_reject(
    *, refund: RefundRequest, actor, reason: str, images: Sequence = (), now: datetime | None = None
) -> RefundRequest:
    """The merchant refuses, with a reason; the buyer may revise or escalate within the window."""
    now = _now(now)
    reason = _text(reason, field="reason", required=True, label="A reason for the rejection")
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        apply_transition(
            refund,
            "reject",
            actor=actor,
            actor_role=ActorRole.MERCHANT,
            update_fields=["responded_at", "rejection_reason", "deadline"],
            note=reason,
            now=now,
            reason=reason,
            deadline=now + get_rules().buyer_rejection_window,
        )
        _store_evidence(refund=refund, party=Party.MERCHANT, actor=actor, images=images, now=now)
        _tell_buyer(
            refund,
            "refund_rejected",
            f"The shop rejected your request: “{reason}”. Revise it or apply for platform "
            f"intervention by {timezone.localtime(refund.deadline):%Y-%m-%d %H:%M}.",
            at=now,
        )
    return refund


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
    now = _now(now)
    if reason not in RefundReason.values:
        raise InvalidInput("Choose a reason from the list.", field="reason")
    description = _text(description, field="description", required=False, label="The description")
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        check_transition(refund, "revise", actor=actor)
        _check_open_window(refund, now, "revise")
        amount = _check_amount(amount, order)
        apply_transition(
            refund,
            "revise",
            actor=actor,
            actor_role=ActorRole.BUYER,
            update_fields=[
                "amount",
                "reason",
                "description",
                "revision_count",
                "rejection_reason",
                "deadline",
            ],
            note=f"¥{amount}",
            amount=amount,
            reason=reason,
            description=description,
            deadline=_response_deadline(order, now),
            at=now,
        )
        _store_evidence(refund=refund, party=Party.BUYER, actor=actor, images=images, now=now)
        _tell_merchant(refund, "refund_revised", f"The buyer revised refund #{refund.pk}.", at=now)
    return refund


def refund_cancel(*, refund: RefundRequest, actor, now: datetime | None = None) -> RefundRequest:
    now = _now(now)
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        apply_transition(
            refund,
            "cancel",
            actor=actor,
            actor_role=ActorRole.BUYER,
            update_fields=["deadline", "closed_at"],
            now=now,
        )
        _tell_merchant(
            refund, "refund_cancelled", f"The buyer cancelled refund #{refund.pk}.", at=now
        )
    return refund


def refund_ship_return(
    *, refund: RefundRequest, actor, tracking_number: str, now: datetime | None = None
) -> RefundRequest:
    now = _now(now)
    tracking_number = (tracking_number or "").strip()
    if not tracking_number:
        raise InvalidInput("Enter the return parcel's tracking number.", field="tracking_number")
    if len(tracking_number) > 64:
        raise InvalidInput("A tracking number has at most 64 characters.", field="tracking_number")
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        apply_transition(
            refund,
            "ship_return",
            actor=actor,
            actor_role=ActorRole.BUYER,
            update_fields=["return_tracking_number", "deadline"],
            note=tracking_number,
            tracking_number=tracking_number,
            deadline=now + get_rules().merchant_return_confirm_window,
            at=now,
        )
        _tell_merchant(
            refund,
            "return_shipped",
            f"The buyer shipped the return ({tracking_number}): confirm it by "
            f"{timezone.localtime(refund.deadline):%Y-%m-%d %H:%M}.",
            at=now,
        )
    return refund


def refund_confirm_return(
    *, refund: RefundRequest, actor, now: datetime | None = None
) -> RefundRequest:
    now = _now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        apply_transition(
            refund,
            "confirm_return",
            actor=actor,
            actor_role=ActorRole.MERCHANT,
            update_fields=["deadline", "closed_at"],
            now=now,
        )
        _settle_if_refunded(order, refund, now)
    return refund


def refund_add_evidence(
    *, refund: RefundRequest, actor, images: Sequence, now: datetime | None = None
) -> list[Evidence]:
    """Either party adds images to an open request (to the intervention once escalated)."""
    now = _now(now)
    if not images:
        raise InvalidInput("Attach at least one image.", field="image")
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        party = _party_of(refund, actor)
        if refund.is_final:
            raise TransitionNotAllowed(
                "This request is finished: no more evidence can be added.", state=refund.state
            )
        intervention = getattr(refund, "intervention", None)
        if intervention is not None and refund.state == RefundState.IN_INTERVENTION:
            return _intervention_evidence(
                refund=refund,
                intervention=intervention,
                party=party,
                actor=actor,
                statement="",
                images=images,
                now=now,
            )
        return _store_evidence(refund=refund, party=party, actor=actor, images=images, now=now)


# --- platform intervention ------------------------------------------------------------------


def refund_escalate(
    *,
    refund: RefundRequest,
    actor,
    statement: str,
    images: Sequence = (),
    now: datetime | None = None,
) -> Intervention:
    """申请平台介入: only a rejected request, once, within the window. Opens the intervention;
    the buyer's statement and images are the buyer's evidence."""
    now = _now(now)
    rules = get_rules()
    statement = _text(statement, field="statement", required=True, label="Your statement")
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        check_transition(refund, "escalate", actor=actor)
        _check_open_window(refund, now, "apply for platform intervention")
        apply_transition(
            refund,
            "escalate",
            actor=actor,
            actor_role=ActorRole.BUYER,
            update_fields=["escalated_at", "deadline"],
            note=statement,
            now=now,
        )
        intervention = Intervention.objects.create(
            refund=refund,
            shop_id=refund.shop_id,
            buyer_id=refund.buyer_id,
            buyer_statement=statement,
            buyer_submitted_at=now,
            opened_at=now,
            evidence_deadline=now + rules.evidence_window,
        )
        audit_record(
            target=intervention,
            action="open",
            actor=actor,
            actor_role=ActorRole.BUYER,
            to_state=intervention.state,
            note=statement,
            at=now,
        )
        _store_evidence(
            refund=refund,
            intervention=intervention,
            party=Party.BUYER,
            actor=actor,
            images=images,
            now=now,
        )
        deadline = f"{timezone.localtime(intervention.evidence_deadline):%Y-%m-%d %H:%M}"
        _tell_merchant(
            refund,
            "intervention_opened",
            f"The buyer asked the platform to step in on refund #{refund.pk}: give your "
            f"statement and evidence by {deadline}.",
            at=now,
        )
        _tell_buyer(
            refund,
            "intervention_opened",
            f"The platform is stepping in. The shop has until {deadline} to give its evidence.",
            at=now,
        )
    return intervention


def _intervention_evidence(
    *,
    refund: RefundRequest,
    intervention: Intervention,
    party: str,
    actor,
    statement: str,
    images: Sequence,
    now: datetime,
) -> list[Evidence]:
    if (
        intervention.state != InterventionState.AWAITING_EVIDENCE
        or now > intervention.evidence_deadline
    ):
        raise TransitionNotAllowed(
            "The evidence window of this intervention has closed.", state=intervention.state
        )
    stored = _store_evidence(
        refund=refund, intervention=intervention, party=party, actor=actor, images=images, now=now
    )
    fields = []
    if party == Party.MERCHANT:
        if statement:
            intervention.merchant_statement = statement
            fields.append("merchant_statement")
        if intervention.merchant_submitted_at is None:
            intervention.merchant_submitted_at = now
            fields.append("merchant_submitted_at")
    elif statement:
        intervention.buyer_statement = statement
        fields.append("buyer_statement")
    if fields:
        intervention.save(update_fields=fields)
    if intervention.buyer_submitted_at and intervention.merchant_submitted_at:
        intervention_close_evidence(intervention=intervention, now=now)
    return stored


def intervention_submit_evidence(
    *,
    intervention: Intervention,
    actor,
    statement: str = "",
    images: Sequence = (),
    now: datetime | None = None,
) -> list[Evidence]:
    """A party gives its statement and images. Once both have, the case goes to review."""
    now = _now(now)
    statement = _text(statement, field="statement", required=False, label="The statement")
    if not statement and not images:
        raise InvalidInput("Give a statement or at least one image.", field="statement")
    with transaction.atomic():
        _order, refund, intervention = lock_case(intervention.pk)
        party = _party_of(refund, actor)
        return _intervention_evidence(
            refund=refund,
            intervention=intervention,
            party=party,
            actor=actor,
            statement=statement,
            images=images,
            now=now,
        )


def intervention_close_evidence(*, intervention: Intervention, now: datetime) -> Intervention:
    """The evidence window is over (or both parties submitted): the agent's SLA starts.
    The caller holds the intervention's lock."""
    apply_transition(
        intervention,
        "close_evidence",
        actor=SYSTEM,
        actor_role=ActorRole.SYSTEM,
        update_fields=["ruling_deadline"],
        ruling_deadline=now + get_rules().ruling_sla,
        at=now,
    )
    return intervention


def intervention_assign(
    *, intervention: Intervention, actor, agent, now: datetime | None = None
) -> Intervention:
    """An agent takes a case, or a supervisor hands it to an agent."""
    now = _now(now)
    if not is_agent(actor) or not is_agent(agent):
        raise PermissionDenied("Only platform agents take interventions.")
    with transaction.atomic():
        _order, _refund, intervention = lock_case(intervention.pk)
        intervention.assigned_agent = agent
        intervention.save(update_fields=["assigned_agent"])
        audit_record(
            target=intervention,
            action="assign",
            actor=actor,
            actor_role=ActorRole.AGENT,
            note=f"assigned to {agent.get_username()}",
            at=now,
        )
    return intervention


def merchant_cooperated_default(intervention: Intervention) -> bool:
    """The merchant cooperated if it answered the refund itself (no auto-approval) and gave
    its evidence to the platform."""
    refund = intervention.refund
    return bool(
        refund.responded_at and not refund.auto_approved and intervention.merchant_submitted_at
    )


def intervention_rule(
    *,
    intervention: Intervention,
    actor,
    outcome: str,
    rationale: str,
    merchant_responsible: bool,
    merchant_cooperated: bool | None = None,
    return_required: bool = False,
    refund_amount: Decimal | None = None,
    penalty_points: int | None = None,
    agent_note: str = "",
    now: datetime | None = None,
) -> Ruling:
    """The agent's ruling. In one transaction: the ruling, the refund's move (with its refund
    payment), and, when the merchant is responsible, the penalty, credit and any restriction."""
    now = _now(now)
    rules = get_rules()
    rationale = _text(rationale, field="rationale", required=True, label="The rationale")
    if outcome not in RulingOutcome.values:
        raise InvalidInput("Choose an outcome from the list.", field="outcome")
    if outcome == RulingOutcome.MERCHANT_WINS:
        if merchant_responsible:
            raise InvalidInput(
                "A merchant who wins cannot be held responsible.", field="merchant_responsible"
            )
        if return_required:
            raise InvalidInput(
                "Nothing is returned when the merchant wins.", field="return_required"
            )
    if merchant_responsible:
        points = rules.dispute_lost_points if penalty_points is None else int(penalty_points)
        if not rules.dispute_lost_points_min <= points <= rules.dispute_lost_points_max:
            raise InvalidInput(
                f"Penalty points must be between {rules.dispute_lost_points_min} and "
                f"{rules.dispute_lost_points_max}.",
                field="penalty_points",
            )
    elif penalty_points:
        raise InvalidInput(
            "Penalty points apply only when the merchant is responsible.", field="penalty_points"
        )
    else:
        points = 0
    with transaction.atomic():
        order, refund, intervention = lock_case(intervention.pk)
        check_transition(intervention, "rule", actor=actor)
        check_transition(refund, "rule", actor=actor)
        if outcome == RulingOutcome.BUYER_FULL_REFUND:
            amount = refund.amount
        elif outcome == RulingOutcome.BUYER_PARTIAL_REFUND:
            amount = _check_amount(refund_amount, order)
            if amount >= refund.amount:
                raise InvalidInput(
                    f"A partial refund is less than the ¥{refund.amount} asked.",
                    field="refund_amount",
                )
        else:
            amount = None
        if merchant_cooperated is None:
            merchant_cooperated = merchant_cooperated_default(intervention)
        target = (
            RefundState.CLOSED
            if amount is None
            else RefundState.AWAITING_RETURN
            if return_required
            else RefundState.REFUNDED
        )
        apply_transition(
            intervention,
            "rule",
            actor=actor,
            actor_role=ActorRole.AGENT,
            update_fields=["closed_at", "assigned_agent"],
            note=outcome,
            now=now,
            agent=actor,
        )
        if agent_note:
            intervention.agent_note = agent_note
            intervention.save(update_fields=["agent_note"])
        try:
            with transaction.atomic():
                ruling = Ruling.objects.create(
                    intervention=intervention,
                    agent=actor,
                    outcome=outcome,
                    refund_amount=amount,
                    return_required=return_required,
                    merchant_responsible=merchant_responsible,
                    merchant_cooperated=merchant_cooperated,
                    penalty_points=points,
                    rationale=rationale,
                    created_at=now,
                    appeal_deadline=now + rules.appeal_window,
                )
        except IntegrityError as exc:
            raise TransitionNotAllowed("This case has been ruled already.", state="ruled") from exc
        apply_transition(
            refund,
            "rule",
            actor=actor,
            actor_role=ActorRole.AGENT,
            update_fields=["amount", "platform_ordered_return", "deadline", "closed_at"],
            note=f"ruling #{ruling.pk}: {outcome}",
            now=now,
            amount=amount,
            target=target,
            return_deadline=now + rules.buyer_return_ship_window,
        )
        _settle_if_refunded(order, refund, now)
        penalty_record_for_ruling(ruling=ruling, shop_id=refund.shop_id, now=now)
        message = f"The platform ruled on refund #{refund.pk}: {ruling.get_outcome_display()}. {rationale}"
        _tell_buyer(refund, "ruling", message, at=now)
        _tell_merchant(refund, "ruling", message, at=now)
    return ruling


def refund_concede(*, refund: RefundRequest, actor, now: datetime | None = None) -> RefundRequest:
    """Before the ruling, the merchant gives the full refund: the case closes with no penalty."""
    now = _now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        # Only an escalated refund has an intervention: refuse every other state first.
        check_transition(refund, "concede", actor=actor)
        intervention = Intervention.objects.select_for_update().get(refund=refund)
        check_transition(intervention, "resolve_by_merchant", actor=actor)
        apply_transition(
            refund,
            "concede",
            actor=actor,
            actor_role=ActorRole.MERCHANT,
            update_fields=["deadline", "closed_at"],
            now=now,
        )
        apply_transition(
            intervention,
            "resolve_by_merchant",
            actor=actor,
            actor_role=ActorRole.MERCHANT,
            update_fields=["closed_at"],
            now=now,
        )
        _settle_if_refunded(order, refund, now)
    return refund


# --- appeals --------------------------------------------------------------------------------


def ruling_appeal(
    *, ruling: Ruling, actor, statement: str, images: Sequence = (), now: datetime | None = None
) -> Appeal:
    """The merchant appeals once, within the window, with new information."""
    now = _now(now)
    statement = _text(statement, field="statement", required=True, label="The new information")
    with transaction.atomic():
        _order, refund, intervention = lock_case(ruling.intervention_id)
        ruling = Ruling.objects.select_for_update().get(pk=ruling.pk)
        check_transition(intervention, "appeal", actor=actor)
        if ruling.outcome == RulingOutcome.MERCHANT_WINS:
            raise TransitionNotAllowed(
                "The shop won this ruling: there is nothing to appeal.", state=intervention.state
            )
        if Appeal.objects.filter(ruling=ruling).exists():
            raise TransitionNotAllowed(
                "A ruling can be appealed only once.", state=intervention.state
            )
        if now > ruling.appeal_deadline:
            raise TransitionNotAllowed(
                f"The appeal window closed at "
                f"{timezone.localtime(ruling.appeal_deadline):%Y-%m-%d %H:%M}.",
                state=intervention.state,
            )
        appeal = Appeal.objects.create(
            ruling=ruling, appellant=actor, statement=statement, created_at=now
        )
        apply_transition(
            intervention,
            "appeal",
            actor=actor,
            actor_role=ActorRole.MERCHANT,
            note=statement,
            at=now,
        )
        _store_evidence(
            refund=refund,
            intervention=intervention,
            appeal=appeal,
            party=Party.MERCHANT,
            actor=actor,
            images=images,
            now=now,
        )
        _tell_buyer(
            refund, "appeal", f"The shop appealed the ruling on refund #{refund.pk}.", at=now
        )
    return appeal


def appeal_decide(
    *, appeal: Appeal, actor, decision: str, note: str, now: datetime | None = None
) -> Appeal:
    """A supervisor upholds or overturns. Overturning reverses the penalty, removes the dispute
    case, lifts restrictions that no longer hold and reimburses the merchant; the buyer keeps
    the refund."""
    now = _now(now)
    if decision not in AppealDecision.values:
        raise InvalidInput("Decide uphold or overturn.", field="decision")
    note = _text(note, field="note", required=True, label="A note on the decision")
    with transaction.atomic():
        ruling = Ruling.objects.get(pk=appeal.ruling_id)
        _order, refund, intervention = lock_case(ruling.intervention_id)
        ruling = Ruling.objects.select_for_update().get(pk=ruling.pk)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        apply_transition(
            intervention,
            "decide_appeal",
            actor=actor,
            actor_role=ActorRole.SUPERVISOR,
            note=f"{decision}: {note}",
            at=now,
        )
        appeal.decision = decision
        appeal.decision_note = note
        appeal.decided_by = actor
        appeal.decided_at = now
        appeal.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
        if decision == AppealDecision.OVERTURN:
            ruling.overturned_at = now
            ruling.save(update_fields=["overturned_at"])
            penalties_reverse_for_ruling(
                ruling=ruling,
                shop_id=refund.shop_id,
                actor=actor,
                now=now,
                note=f"Overturned on appeal #{appeal.pk}: {note}",
            )
            payment = RefundPayment.objects.filter(refund=refund).first()
            if payment is not None:
                _reimburse_overturned(ruling, payment, now)
        message = (
            f"The appeal on refund #{refund.pk} was {appeal.get_decision_display().lower()}: {note}"
        )
        _tell_merchant(refund, "appeal_decided", message, at=now)
        _tell_buyer(refund, "appeal_decided", message, at=now)
    return appeal


# --- the system's own moves (the deadline sweep holds the row locks) -------------------------


def refund_auto_approve(*, order: Order, refund: RefundRequest, now: datetime) -> None:
    """The merchant stayed silent past the response window: silence is agreement."""
    apply_transition(
        refund,
        "auto_approve",
        actor=SYSTEM,
        actor_role=ActorRole.SYSTEM,
        update_fields=["auto_approved", "deadline", "closed_at"],
        note="the merchant did not answer in time",
        now=now,
        return_deadline=now + get_rules().buyer_return_ship_window,
    )
    _settle_if_refunded(order, refund, now)
    _tell_merchant(
        refund,
        "refund_auto_approved",
        f"Refund #{refund.pk} was approved automatically: you did not answer in time.",
        at=now,
    )


def refund_auto_close(*, refund: RefundRequest, now: datetime) -> None:
    """The buyer stayed silent past the window after a rejection or an agreed return."""
    apply_transition(
        refund,
        "auto_close",
        actor=SYSTEM,
        actor_role=ActorRole.SYSTEM,
        update_fields=["deadline", "closed_at"],
        note="the buyer did not act in time",
        now=now,
    )
    _tell_buyer(
        refund, "refund_closed", f"Refund #{refund.pk} closed: the window to act ran out.", at=now
    )


def refund_auto_confirm_return(*, order: Order, refund: RefundRequest, now: datetime) -> None:
    """The merchant did not confirm the returned parcel in time: the refund goes out."""
    apply_transition(
        refund,
        "auto_confirm_return",
        actor=SYSTEM,
        actor_role=ActorRole.SYSTEM,
        update_fields=["deadline", "closed_at"],
        note="the merchant did not confirm the return in time",
        now=now,
    )
    _settle_if_refunded(order, refund, now)

"""May this user do this action on this object now, and if not, why? One function per question.

Each `may_*` function answers with a `Verdict`: allowed, or the domain error the service would
raise. The services enforce the verdict under their row locks (`verdict.enforce()`); the
selectors build `available_actions` from the same functions, and pages and the admin read them
to decide which buttons to show. Input checks (a reason's length, an amount's format) stay in
the services: they are about what was typed, not about whether the action is open. A bound the
case itself sets on what may be typed (a ruling's outcomes and partial-refund cap) is a policy
here, because a form offers it before the service enforces it.

The checks run in the order a person is told: who they are first (403), then the state and
the windows (409).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import lazy

from core.errors import DomainError
from core.fsm import check_transition, state_label
from core.roles import is_agent, is_supervisor
from core.rules import get_rules
from disputes.duties import check_may_decide_appeal, check_may_decide_case
from disputes.errors import DisputeErrorCode as Code
from disputes.models import (
    OPEN_REFUND_STATES,
    Appeal,
    Intervention,
    InterventionState,
    Party,
    RefundKind,
    RefundReason,
    RefundRequest,
    RefundState,
    Ruling,
    RulingOutcome,
)
from merchants.selectors import default_return_address, is_staff_of
from orders.models import Order, OrderState

# The refund actions a person can take, in the order the API lists them (auto_* are the
# system's; `rule` is taken on the case).
REFUND_ACTIONS = (
    "approve",
    "approve_without_return",
    "reject",
    "offer",
    "accept_offer",
    "decline_offer",
    "revise",
    "cancel",
    "escalate",
    "ship_return",
    "confirm_return",
    "concede",
)
# The case actions, by the names of the API's endpoints.
INTERVENTION_ACTIONS = ("evidence", "rule", "appeal", "decide")
FILEABLE_ORDER_STATES = {OrderState.PAID, OrderState.SHIPPED, OrderState.DELIVERED}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Verdict:
    """The answer of a policy: `allowed`, or `error`, the domain error the service raises."""

    error: DomainError | None = None

    @property
    def allowed(self) -> bool:
        return self.error is None

    @property
    def reason(self) -> str:
        """Why not, in the reader's language ('' when allowed)."""
        return self.error.message if self.error is not None else ""

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        """Raise the refusal, if any (the services call this holding the row locks)."""
        if self.error is not None:
            raise self.error


ALLOWED = Verdict()


def _policy(check: Callable[..., None]) -> Callable[..., Verdict]:
    """Turn a check that raises the domain error into a policy answering with a Verdict."""

    @functools.wraps(check)
    def policy(*args, **kwargs) -> Verdict:
        try:
            check(*args, **kwargs)
        except DomainError as error:
            return Verdict(error)
        return ALLOWED

    return policy


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _check_window(refund: RefundRequest, now: datetime, closed: Code) -> None:
    if refund.deadline is not None and now > refund.deadline:
        raise DomainError(closed, {"at": refund.deadline}, state=refund.state)


# --- refunds ---------------------------------------------------------------------------------


def after_sales_window(reason: str | None = None) -> timedelta:
    """How long after completion a request may be filed: the seven-day no-reason window for
    that reason, the after-sales window for any other, the wider of the two without one."""
    rules = get_rules()
    if reason == RefundReason.NO_REASON_7_DAYS:
        return rules.no_reason_return_window
    if reason is None:
        return max(rules.no_reason_return_window, rules.after_sales_window)
    return rules.after_sales_window


def after_sales_closed_at(order: Order, *, now: datetime | None = None) -> datetime | None:
    """When the completed order's after-sales window (for any reason) closed, if it has: the
    order page then says why 申请售后 is gone (`may_file_refund`'s reason); None while it is
    open, or for an order not completed."""
    if order.state != OrderState.COMPLETED:
        return None
    end = order.completed_at + after_sales_window()
    return end if end < _now(now) else None


@_policy
def may_file_refund(
    order: Order, user, *, reason: str | None = None, now: datetime | None = None
) -> None:
    """May `user` ask for a refund on `order` now? Only its buyer, on a paid, shipped or
    delivered order, or a completed one within the after-sales window (the seven-day
    no-reason window for that reason; without a reason, the wider of the two), and only
    while no other request on the order is open."""
    now = _now(now)
    if order.buyer_id != user.pk:
        raise DomainError(Code.NOT_THE_BUYER)
    if order.state == OrderState.COMPLETED:
        window = after_sales_window(reason)
        if order.completed_at + window < now:
            raise DomainError(
                Code.AFTER_SALES_WINDOW_CLOSED,
                {"at": order.completed_at + window, "days": window.days},
                state=order.state,
            )
    elif order.state not in FILEABLE_ORDER_STATES:
        raise DomainError(
            Code.ORDER_NOT_REFUNDABLE, {"state": state_label(order)}, state=order.state
        )
    if RefundRequest.objects.filter(order=order, state__in=OPEN_REFUND_STATES).exists():
        raise DomainError(Code.OPEN_REQUEST_EXISTS, state=order.state)


@_policy
def may_act_on_refund(
    refund: RefundRequest, user, action: str, *, now: datetime | None = None
) -> None:
    """May `user` take the refund `action` (one of REFUND_ACTIONS) now? The transition's
    permission, state and guards; revise and escalate also within the buyer's window after
    the rejection, and an offer is answered within the same window after it was made;
    approving a return only with a return address to send the goods to; an offer only when
    at least a cent less than the amount asked is possible; concede only while the case is
    open."""
    now = _now(now)
    if action not in REFUND_ACTIONS:
        raise ValueError(f"Unknown refund action {action!r}")
    check_transition(refund, action, actor=user)
    if action == "revise":
        _check_window(refund, now, Code.REVISE_WINDOW_CLOSED)
    elif action == "escalate":
        _check_window(refund, now, Code.ESCALATE_WINDOW_CLOSED)
    elif action in ("accept_offer", "decline_offer"):
        _check_window(refund, now, Code.OFFER_WINDOW_CLOSED)
    elif action == "approve" and refund.kind == RefundKind.RETURN_AND_REFUND:
        _check_return_address(refund)
    elif action == "offer" and offer_cap(refund) is None:
        raise DomainError(Code.NOTHING_TO_OFFER, {"asked": refund.amount}, state=refund.state)
    elif action == "concede":
        check_transition(refund.intervention, "resolve_by_merchant", actor=user)


def _check_return_address(refund: RefundRequest) -> None:
    """A return goes to the shop's default return address. A list selector annotates
    `shop_has_return_address` so that its rows ask no query each (a row without it asks), and
    the shop's name is read only if the refusal is shown: a list asks only whether it may."""
    known = getattr(refund, "shop_has_return_address", None)
    if known is None:
        known = default_return_address(refund.shop_id) is not None
    if not known:
        shop = lazy(lambda: refund.shop.name, str)()
        raise DomainError(Code.NO_RETURN_ADDRESS, {"shop": shop}, state=refund.state)


def offer_cap(refund: RefundRequest) -> Decimal | None:
    """The most a negotiation offer on this request may be: less than the amount asked and no
    more than the order has left to refund (`refund.order`: the service's locked row); None
    when not even a cent can be offered. The seller's offer form caps its amount here."""
    cap = min(refund.amount - CENT, refund.order.refundable_amount)
    return cap if cap >= CENT else None


@_policy
def may_offer_terms(refund: RefundRequest, amount: Decimal, *, return_required: bool) -> None:
    """May the shop offer `amount` (a positive amount in cents), with or without the goods
    back, on this request? At most `offer_cap(refund)`; the goods back only once they were
    shipped, and only to a return address the shop has."""
    cap = offer_cap(refund)
    if cap is None or amount > cap:
        refundable = refund.order.refundable_amount
        if refund.amount - CENT <= refundable:
            raise DomainError(Code.OFFER_NOT_LESS, {"asked": refund.amount}, field="amount")
        raise DomainError(Code.AMOUNT_ABOVE_REFUNDABLE, {"refundable": refundable}, field="amount")
    if return_required and refund.order.state == OrderState.PAID:
        raise DomainError(Code.OFFER_RETURN_NOT_SHIPPED, field="return_required")
    if return_required and default_return_address(refund.shop_id) is None:
        raise DomainError(
            Code.NO_RETURN_ADDRESS,
            {"shop": refund.shop.name},
            field="return_required",
            state=refund.state,
        )


def party_of(refund: RefundRequest, user) -> str | None:
    """The side `user` is on in this request (buyer or merchant), or None."""
    if user.is_authenticated and refund.buyer_id == user.pk:
        return Party.BUYER
    if is_staff_of(user, refund.shop_id):
        return Party.MERCHANT
    return None


def _check_party(refund: RefundRequest, user) -> None:
    if party_of(refund, user) is None:
        raise DomainError(Code.NOT_A_PARTY)


def _check_evidence_window(intervention: Intervention, now: datetime) -> None:
    if (
        intervention.state != InterventionState.AWAITING_EVIDENCE
        or now > intervention.evidence_deadline
    ):
        raise DomainError(Code.EVIDENCE_WINDOW_CLOSED, state=intervention.state)


@_policy
def may_add_evidence(refund: RefundRequest, user, *, now: datetime | None = None) -> None:
    """May `user` add images to the request now? Either party, while it is open; once it is
    in intervention, only while the case's evidence window is."""
    now = _now(now)
    _check_party(refund, user)
    if refund.is_final:
        raise DomainError(Code.REQUEST_FINISHED, state=refund.state)
    intervention = getattr(refund, "intervention", None)
    if intervention is not None and refund.state == RefundState.IN_INTERVENTION:
        _check_evidence_window(intervention, now)


def message_side(refund: RefundRequest, user) -> str | None:
    """The side `user` writes and reads the request's messages on: the buyer, the shop, or the
    platform for an agent once the buyer escalated the request; None for anyone else."""
    party = party_of(refund, user)
    if party is not None:
        return party
    if refund.escalated_at is not None and is_agent(user):
        return Party.PLATFORM
    return None


@_policy
def may_write_message(refund: RefundRequest, user) -> None:
    """May `user` write a message on the request now? Either party, and a platform agent once
    it is escalated, while the request is open."""
    if message_side(refund, user) is None:
        raise DomainError(Code.NOT_IN_CONVERSATION)
    if refund.is_final:
        raise DomainError(Code.MESSAGES_CLOSED, state=refund.state)


# --- interventions, rulings, appeals ------------------------------------------------------------


@_policy
def may_give_case_evidence(
    intervention: Intervention, user, *, now: datetime | None = None
) -> None:
    """May `user` give a statement and images to the case now? Either party, while the
    evidence window is open."""
    _check_party(intervention.refund, user)
    _check_evidence_window(intervention, _now(now))


@_policy
def may_rule(intervention: Intervention, user) -> None:
    """May `user` rule on the case now? A platform agent (or supervisor) who is not part of
    the case, once the evidence window is over and until the case is ruled."""
    if is_agent(user):  # anyone else is refused for their role just below
        check_may_decide_case(user, buyer_id=intervention.buyer_id, shop_id=intervention.shop_id)
    check_transition(intervention, "rule", actor=user)
    check_transition(intervention.refund, "rule", actor=user)


@dataclass(frozen=True)
class RulingChoices:
    """The outcomes a ruling may have on a case, and the most a partial refund may be (None
    when not even a cent is possible)."""

    outcomes: list[str]
    partial_max: Decimal | None


def ruling_choices(refund: RefundRequest) -> RulingChoices:
    """What a ruling on this request may decide. A partial refund is less than the amount
    asked and no more than the order has left to refund (`refund.order`: the service's locked
    row). The ruling service enforces it (`may_refund_partially`); the admin's ruling form
    offers exactly these outcomes and caps its amount field at `partial_max`."""
    partial_max = min(refund.amount - CENT, refund.order.refundable_amount)
    outcomes = [RulingOutcome.BUYER_FULL_REFUND]
    if partial_max >= CENT:
        outcomes.append(RulingOutcome.BUYER_PARTIAL_REFUND)
    else:
        partial_max = None
    outcomes.append(RulingOutcome.MERCHANT_WINS)
    return RulingChoices(outcomes=outcomes, partial_max=partial_max)


@_policy
def may_refund_partially(refund: RefundRequest, amount: Decimal) -> None:
    """May a ruling refund `amount` (a positive amount in cents) of this request in part? Up
    to `ruling_choices(refund).partial_max`; the refusal names the bound that holds."""
    partial_max = ruling_choices(refund).partial_max
    if partial_max is not None and amount <= partial_max:
        return
    refundable = refund.order.refundable_amount
    if refund.amount - CENT <= refundable:
        raise DomainError(Code.PARTIAL_NOT_LESS, {"asked": refund.amount}, field="refund_amount")
    raise DomainError(
        Code.AMOUNT_ABOVE_REFUNDABLE, {"refundable": refundable}, field="refund_amount"
    )


@_policy
def may_assign(intervention: Intervention, user, agent) -> None:
    """May `user` give the case to `agent`? Agents take cases themselves; a supervisor hands
    them out; only to a platform agent."""
    if not is_agent(user) or not is_agent(agent):
        raise DomainError(Code.AGENTS_ONLY)
    check_may_decide_case(agent, buyer_id=intervention.buyer_id, shop_id=intervention.shop_id)


@_policy
def may_appeal(ruling: Ruling, user, *, now: datetime | None = None) -> None:
    """May `user` appeal the ruling now? The shop's staff, once, within the appeal window,
    and only a ruling the shop lost."""
    now = _now(now)
    intervention = ruling.intervention
    check_transition(intervention, "appeal", actor=user)
    if ruling.outcome == RulingOutcome.MERCHANT_WINS:
        raise DomainError(Code.NOTHING_TO_APPEAL, state=intervention.state)
    if getattr(ruling, "appeal", None) is not None:
        raise DomainError(Code.ALREADY_APPEALED, state=intervention.state)
    if now > ruling.appeal_deadline:
        raise DomainError(
            Code.APPEAL_WINDOW_CLOSED, {"at": ruling.appeal_deadline}, state=intervention.state
        )


@_policy
def may_decide_appeal(appeal: Appeal, user) -> None:
    """May `user` uphold or overturn the appeal now? A platform supervisor who did not make
    the ruling and is not part of the case, while it waits."""
    intervention = appeal.ruling.intervention
    if is_supervisor(user):  # anyone else is refused for their role just below
        check_may_decide_appeal(
            user, ruling=appeal.ruling, buyer_id=intervention.buyer_id, shop_id=intervention.shop_id
        )
    check_transition(intervention, "decide_appeal", actor=user)


# --- what a face offers ------------------------------------------------------------------------


@functools.cache
def _refund_actions_from(state: str) -> tuple[str, ...]:
    """The refund actions with a transition out of `state` in the model's graph. Any other is
    refused whoever asks, so `refund_actions` need not build that refusal for every row of a
    list."""
    return tuple(
        action
        for action in REFUND_ACTIONS
        if getattr(RefundRequest, action)._django_fsm.get_transition(state) is not None
    )


def refund_actions(
    refund: RefundRequest,
    user,
    *,
    now: datetime | None = None,
    among: Sequence[str] = REFUND_ACTIONS,
) -> list[str]:
    """The refund actions `user` may take now (REFUND_ACTIONS' names), in the order of `among`:
    a face that offers only some of them asks only about those."""
    now = _now(now)
    possible = _refund_actions_from(refund.state)
    return [a for a in among if a in possible and may_act_on_refund(refund, user, a, now=now)]


def intervention_actions(
    intervention: Intervention, user, *, now: datetime | None = None
) -> list[str]:
    """The case actions `user` may take now (INTERVENTION_ACTIONS' names)."""
    now = _now(now)
    actions = []
    if may_give_case_evidence(intervention, user, now=now):
        actions.append("evidence")
    if may_rule(intervention, user):
        actions.append("rule")
    ruling = getattr(intervention, "ruling", None)
    if ruling is not None:
        if may_appeal(ruling, user, now=now):
            actions.append("appeal")
        appeal = getattr(ruling, "appeal", None)
        if appeal is not None and may_decide_appeal(appeal, user):
            actions.append("decide")
    return actions

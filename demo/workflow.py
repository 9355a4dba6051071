"""Drive orders, refunds and interventions to any state through the real services.

The one driver behind the tests (the `wf` fixture) and the demo data (`manage.py load_demo`).
Every step happens at `at`, by default the driver's `now`; an order's steps are spaced by its
`pace` (all at once unless told otherwise, which is what the tests want).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import Intervention, RefundKind, RefundReason, RefundRequest, RulingOutcome
from orders import services as os_
from orders.models import Order

ORDER_STEPS = ["paid", "shipped", "delivered", "completed"]


@dataclass(frozen=True)
class Pace:
    """How long after an order is placed each of its steps happens."""

    pay: timedelta = timedelta(0)
    cancel: timedelta = timedelta(0)
    ship: timedelta = timedelta(0)
    deliver: timedelta = timedelta(0)
    confirm: timedelta = timedelta(0)


@dataclass
class Workflow:
    buyer: object
    merchant: object
    agent: object
    supervisor: object
    product: object
    now: datetime | None  # None: every step at the services' own clock
    pace: Pace = field(default_factory=Pace)
    # The merchant of each other shop the driver sells from (shop id → user).
    merchants: dict[int, object] = field(default_factory=dict)

    def later(self, **delta) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now

    def _after(self, at: datetime | None, gap: timedelta) -> datetime | None:
        """`gap` after `at`; None (the services' own clock) stays None."""
        return None if at is None else at + gap

    def merchant_of(self, shop_id: int):
        return self.merchants.get(shop_id, self.merchant)

    def order(
        self,
        state: str = "shipped",
        *,
        buyer=None,
        product=None,
        quantity: int = 1,
        at: datetime | None = None,
    ) -> Order:
        """An order placed at `at`, walked to `state` at the pace's moments."""
        at = at or self.now
        buyer = buyer or self.buyer
        order = os_.order_place(
            buyer=buyer, product=product or self.product, quantity=quantity, now=at
        )
        if state == "pending_payment":
            return order
        if state == "cancelled":
            return os_.order_cancel(order=order, actor=buyer, now=self._after(at, self.pace.cancel))
        if state not in ORDER_STEPS:
            raise ValueError(state)
        step = ORDER_STEPS.index(state)
        merchant = self.merchant_of(order.shop_id)
        order = os_.order_pay(order=order, actor=buyer, now=self._after(at, self.pace.pay))
        if step >= 1:
            order = os_.order_ship(
                order=order,
                actor=merchant,
                tracking_number=f"SF{order.number[-10:]}",
                now=self._after(at, self.pace.ship),
            )
        if step >= 2:
            order = os_.order_deliver(
                order=order, actor=merchant, now=self._after(at, self.pace.deliver)
            )
        if step >= 3:
            order = os_.order_confirm_receipt(
                order=order, actor=buyer, now=self._after(at, self.pace.confirm)
            )
        return order

    def file(
        self,
        order: Order | None = None,
        *,
        kind: str = RefundKind.REFUND_ONLY,
        amount: Decimal | None = None,
        reason: str = RefundReason.QUALITY_PROBLEM,
        description: str = "broken zip",
        at: datetime | None = None,
    ) -> RefundRequest:
        order = order or self.order("shipped")
        return ds.refund_file(
            buyer=order.buyer,
            order=order,
            kind=kind,
            reason=reason,
            amount=order.total if amount is None else amount,
            description=description,
            now=at or self.now,
        )

    def reject(
        self, refund: RefundRequest, *, reason: str = "Used item", at: datetime | None = None
    ) -> RefundRequest:
        return ds.refund_reject(
            refund=refund, actor=self.merchant_of(refund.shop_id), reason=reason, now=at or self.now
        )

    def offer(
        self,
        refund: RefundRequest,
        *,
        amount: Decimal | None = None,
        return_required: bool = False,
        message: str = "We can refund part of it",
        at: datetime | None = None,
    ):
        """The shop's negotiation offer on `refund`: a fifth of the amount asked by default."""
        return ds.refund_offer(
            refund=refund,
            actor=self.merchant_of(refund.shop_id),
            amount=(refund.amount / 5).quantize(Decimal("0.01")) if amount is None else amount,
            return_required=return_required,
            message=message,
            now=at or self.now,
        )

    def escalate(
        self, refund: RefundRequest, *, statement: str = "It was broken", at: datetime | None = None
    ) -> Intervention:
        return ds.refund_escalate(
            refund=refund, actor=refund.buyer, statement=statement, now=at or self.now
        )

    def merchant_evidence(
        self,
        intervention: Intervention,
        *,
        statement: str = "Buyer damaged it",
        at: datetime | None = None,
    ) -> Intervention:
        ds.intervention_submit_evidence(
            intervention=intervention,
            actor=self.merchant_of(intervention.shop_id),
            statement=statement,
            now=at or self.now,
        )
        intervention.refresh_from_db()
        return intervention

    def message(self, refund: RefundRequest, actor, text: str, *, photos=(), at=None):
        """A message on the request, by either party or (once escalated) the agent."""
        return ds.refund_message_write(
            refund=refund, actor=actor, text=text, images=photos, now=at or self.now
        )

    def refund(
        self, state: str = "requested", *, kind: str | None = None, order=None
    ) -> RefundRequest:
        """A refund in `state`, reached by the ordinary path."""
        if kind is None:
            kind = (
                RefundKind.RETURN_AND_REFUND
                if state in {"awaiting_return", "return_shipped"}
                else RefundKind.REFUND_ONLY
            )
        refund = self.file(order, kind=kind)
        m = self.merchant_of(refund.shop_id)
        if state == "requested":
            return refund
        if state in {"awaiting_return", "return_shipped"}:
            refund = ds.refund_approve(refund=refund, actor=m, now=self.now)
            if state == "return_shipped":
                refund = ds.refund_ship_return(
                    refund=refund,
                    actor=refund.buyer,
                    courier="yto",
                    tracking_number="YT9",
                    now=self.now,
                )
            return refund
        if state == "refunded":
            return (
                ds.refund_approve_without_return(refund=refund, actor=m, now=self.now)
                if (kind == RefundKind.RETURN_AND_REFUND)
                else ds.refund_approve(refund=refund, actor=m, now=self.now)
            )
        if state == "cancelled":
            return ds.refund_cancel(refund=refund, actor=refund.buyer, now=self.now)
        if state == "offered":
            self.offer(refund)
            refund.refresh_from_db()
            return refund
        refund = self.reject(refund)
        if state == "rejected":
            return refund
        if state == "closed":
            enforce_deadlines(now=self.later(days=8))
            refund.refresh_from_db()
            return refund
        if state == "in_intervention":
            self.escalate(refund)
            refund.refresh_from_db()
            return refund
        raise ValueError(state)

    def intervention(self, state: str = "under_review", *, order=None):
        """An intervention in `state`: awaiting_evidence, under_review or ruled."""
        refund = self.refund("in_intervention", order=order)
        intervention = refund.intervention
        if state == "awaiting_evidence":
            return intervention
        intervention = self.merchant_evidence(intervention)
        if state == "under_review":
            return intervention
        if state == "ruled":
            self.rule_against_merchant(intervention)
            intervention.refresh_from_db()
            return intervention
        raise ValueError(state)

    def rule_against_merchant(self, intervention, *, at: datetime | None = None, **overrides):
        kwargs = {
            "outcome": RulingOutcome.BUYER_FULL_REFUND,
            "rationale": "The photos show the defect.",
            "merchant_responsible": True,
            "merchant_cooperated": True,
        }
        kwargs.update(overrides)
        return ds.intervention_rule(
            intervention=intervention, actor=self.agent, now=at or self.now, **kwargs
        )

"""Drive orders, refunds and interventions to any state through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from disputes import services as ds
from disputes.models import RefundKind, RefundReason, RefundRequest, RulingOutcome
from orders import services as os_
from orders.models import Order


@dataclass
class Workflow:
    buyer: object
    merchant: object
    agent: object
    supervisor: object
    product: object
    now: datetime

    def later(self, **delta) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now

    def order(
        self, state: str = "shipped", *, buyer=None, product=None, quantity: int = 1
    ) -> Order:
        buyer = buyer or self.buyer
        order = os_.order_place(
            buyer=buyer, product=product or self.product, quantity=quantity, now=self.now
        )
        if state == "pending_payment":
            return order
        if state == "cancelled":
            return os_.order_cancel(order=order, actor=buyer, now=self.now)
        order = os_.order_pay(order=order, actor=buyer, now=self.now)
        steps = ["paid", "shipped", "delivered", "completed"]
        if state not in steps:
            raise ValueError(state)
        if steps.index(state) >= 1:
            order = os_.order_ship(
                order=order, actor=self.merchant, tracking_number="SF123", now=self.now
            )
        if steps.index(state) >= 2:
            order = os_.order_deliver(order=order, actor=self.merchant, now=self.now)
        if steps.index(state) >= 3:
            order = os_.order_confirm_receipt(order=order, actor=buyer, now=self.now)
        return order

    def file(
        self,
        order: Order | None = None,
        *,
        kind: str = RefundKind.REFUND_ONLY,
        amount: Decimal | None = None,
        reason: str = RefundReason.QUALITY_PROBLEM,
    ) -> RefundRequest:
        order = order or self.order("shipped")
        return ds.refund_file(
            buyer=order.buyer,
            order=order,
            kind=kind,
            reason=reason,
            amount=order.total if amount is None else amount,
            description="broken zip",
            now=self.now,
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
        m = self.merchant
        if state == "requested":
            return refund
        if state in {"awaiting_return", "return_shipped"}:
            refund = ds.refund_approve(refund=refund, actor=m, now=self.now)
            if state == "return_shipped":
                refund = ds.refund_ship_return(
                    refund=refund, actor=refund.buyer, tracking_number="YT9", now=self.now
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
        refund = ds.refund_reject(refund=refund, actor=m, reason="Used item", now=self.now)
        if state == "rejected":
            return refund
        if state == "closed":
            from disputes.deadlines import enforce_deadlines

            enforce_deadlines(now=self.later(days=8))
            refund.refresh_from_db()
            return refund
        if state == "in_intervention":
            ds.refund_escalate(
                refund=refund, actor=refund.buyer, statement="It was broken", now=self.now
            )
            refund.refresh_from_db()
            return refund
        raise ValueError(state)

    def intervention(self, state: str = "under_review", *, order=None):
        """An intervention in `state`: awaiting_evidence, under_review or ruled."""
        refund = self.refund("in_intervention", order=order)
        intervention = refund.intervention
        if state == "awaiting_evidence":
            return intervention
        ds.intervention_submit_evidence(
            intervention=intervention,
            actor=self.merchant,
            statement="Buyer damaged it",
            now=self.now,
        )
        intervention.refresh_from_db()
        if state == "under_review":
            return intervention
        if state == "ruled":
            self.rule_against_merchant(intervention)
            intervention.refresh_from_db()
            return intervention
        raise ValueError(state)

    def rule_against_merchant(self, intervention, **overrides):
        kwargs = {
            "outcome": RulingOutcome.BUYER_FULL_REFUND,
            "rationale": "The photos show the defect.",
            "merchant_responsible": True,
            "merchant_cooperated": True,
        }
        kwargs.update(overrides)
        return ds.intervention_rule(
            intervention=intervention, actor=self.agent, now=self.now, **kwargs
        )

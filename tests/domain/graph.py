"""The refund graph of SPEC §4 as data: how to reach each state, how to call each action, and
which (state, action) pairs are allowed for whom. The tests turn it into one case per
(state, action, actor)."""

from __future__ import annotations

from decimal import Decimal

from disputes import services as ds
from disputes.models import RefundKind, RefundReason, RulingOutcome

# label -> (how the Workflow reaches it, the state stored)
REFUND_STATES = {
    "requested": "requested",
    "requested_with_return": "requested",
    "awaiting_return": "awaiting_return",
    "return_shipped": "return_shipped",
    "rejected": "rejected",
    "offered": "offered",
    "offered_with_return": "offered",
    "in_intervention": "in_intervention",
    "refunded": "refunded",
    "cancelled": "cancelled",
    "closed": "closed",
}


def reach_refund(wf, label: str):
    """A refund in the state called `label`, reached by the real services."""
    if label == "requested_with_return":
        return wf.refund("requested", kind=RefundKind.RETURN_AND_REFUND)
    if label == "offered_with_return":
        refund = wf.refund("requested", kind=RefundKind.RETURN_AND_REFUND)
        wf.offer(refund, return_required=True)
        refund.refresh_from_db()
        return refund
    if label == "in_intervention":
        # Under review, so that both a ruling and a concession are possible from here.
        intervention = wf.intervention("under_review")
        return intervention.refund
    return wf.refund(label)


REFUND_ACTIONS = {
    "approve": lambda r, a, now: ds.refund_approve(refund=r, actor=a, now=now),
    "approve_without_return": lambda r, a, now: ds.refund_approve_without_return(
        refund=r, actor=a, now=now
    ),
    "reject": lambda r, a, now: ds.refund_reject(refund=r, actor=a, reason="Used", now=now),
    "offer": lambda r, a, now: ds.refund_offer(
        refund=r,
        actor=a,
        amount=Decimal("20.00"),
        return_required=False,
        message="A scratch only: ¥20 and keep it?",
        now=now,
    ),
    "accept_offer": lambda r, a, now: ds.refund_accept_offer(refund=r, actor=a, now=now),
    "decline_offer": lambda r, a, now: ds.refund_decline_offer(refund=r, actor=a, now=now),
    "revise": lambda r, a, now: ds.refund_revise(
        refund=r,
        actor=a,
        amount=Decimal("60.00"),
        reason=RefundReason.NOT_AS_DESCRIBED,
        description="Half the buttons are missing",
        now=now,
    ),
    "escalate": lambda r, a, now: ds.refund_escalate(
        refund=r, actor=a, statement="The shop will not help", now=now
    ),
    "cancel": lambda r, a, now: ds.refund_cancel(refund=r, actor=a, now=now),
    "ship_return": lambda r, a, now: ds.refund_ship_return(
        refund=r, actor=a, courier="yto", tracking_number="YT777", now=now
    ),
    "confirm_return": lambda r, a, now: ds.refund_confirm_return(refund=r, actor=a, now=now),
    "concede": lambda r, a, now: ds.refund_concede(refund=r, actor=a, now=now),
    # The agent moves the refund through the intervention's ruling (a full refund here).
    "rule": lambda r, a, now: ds.intervention_rule(
        intervention=r.intervention,
        actor=a,
        outcome=RulingOutcome.BUYER_FULL_REFUND,
        rationale="The photos show the defect.",
        merchant_responsible=True,
        merchant_cooperated=True,
        now=now,
    ),
}

# `rule` is addressed through an intervention, which only an escalated refund has; the
# intervention table covers ruling in every intervention state.
ACTIONS_BY_STATE = {
    label: [a for a in REFUND_ACTIONS if a != "rule" or label == "in_intervention"]
    for label in REFUND_STATES
}

# (state label, action) -> (who may, the state reached). Everything else is refused.
REFUND_ALLOWED = {
    ("requested", "approve"): ({"merchant"}, "refunded"),
    ("requested", "reject"): ({"merchant"}, "rejected"),
    ("requested", "cancel"): ({"buyer"}, "cancelled"),
    ("requested", "offer"): ({"merchant"}, "offered"),
    ("requested_with_return", "offer"): ({"merchant"}, "offered"),
    ("offered", "accept_offer"): ({"buyer"}, "refunded"),
    ("offered", "decline_offer"): ({"buyer"}, "rejected"),
    ("offered", "cancel"): ({"buyer"}, "cancelled"),
    ("offered_with_return", "accept_offer"): ({"buyer"}, "awaiting_return"),
    ("offered_with_return", "decline_offer"): ({"buyer"}, "rejected"),
    ("offered_with_return", "cancel"): ({"buyer"}, "cancelled"),
    ("requested_with_return", "approve"): ({"merchant"}, "awaiting_return"),
    ("requested_with_return", "approve_without_return"): ({"merchant"}, "refunded"),
    ("requested_with_return", "reject"): ({"merchant"}, "rejected"),
    ("requested_with_return", "cancel"): ({"buyer"}, "cancelled"),
    ("awaiting_return", "ship_return"): ({"buyer"}, "return_shipped"),
    ("awaiting_return", "cancel"): ({"buyer"}, "cancelled"),
    ("return_shipped", "confirm_return"): ({"merchant"}, "refunded"),
    ("return_shipped", "reject"): ({"merchant"}, "rejected"),
    ("rejected", "revise"): ({"buyer"}, "requested"),
    ("rejected", "escalate"): ({"buyer"}, "in_intervention"),
    ("rejected", "cancel"): ({"buyer"}, "cancelled"),
    ("in_intervention", "concede"): ({"merchant"}, "refunded"),
    # Supervisors can do everything an agent can.
    ("in_intervention", "rule"): ({"agent", "supervisor"}, "refunded"),
}


def refund_cases(actors: list[str]) -> tuple[list, list]:
    """Split every (state, action, actor) into the allowed ones, one case each, and the refused
    ones, grouped as (state, action, the actors refused)."""
    allowed, refused = [], []
    for label, actions in ACTIONS_BY_STATE.items():
        for action in actions:
            who, target = REFUND_ALLOWED.get((label, action), (set(), None))
            allowed += [(label, action, actor, target) for actor in actors if actor in who]
            refused.append((label, action, [actor for actor in actors if actor not in who]))
    return allowed, refused

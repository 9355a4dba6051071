"""The words the pages show for stored codes, in the settled marketplace vocabulary (SPEC §8).

The models' choice labels are English and serve the API and the admin; the pages translate
through this table instead, with `{{ value|label:"refund_state" }}` (core/templatetags/pages.py).
Only words live here, no rule: which action a person may take comes from the selectors.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS = {
    "refund_state": {
        "requested": _("Waiting for the shop"),
        "rejected": _("Rejected by the shop"),
        "awaiting_return": _("Return the item"),
        "return_shipped": _("Return on its way"),
        "in_intervention": _("Platform reviewing"),
        "refunded": _("Refunded"),
        "cancelled": pgettext_lazy("refund", "Cancelled"),
        "closed": _("Closed"),
    },
    "refund_kind": {
        "refund_only": _("Refund only"),
        "return_and_refund": _("Return and refund"),
    },
    "refund_reason": {
        "not_received": _("Not received"),
        "not_as_described": _("Not as described"),
        "quality_problem": _("Quality problem"),
        "damaged_in_transit": _("Damaged in transit"),
        "wrong_item": _("Wrong item sent"),
        "no_reason_7_days": _("Seven-day no-reason return"),
    },
    "order_state": {
        "pending_payment": _("Awaiting payment"),
        "paid": _("To be shipped"),
        "shipped": _("Shipped"),
        "delivered": _("Delivered"),
        "completed": _("Completed"),
        "cancelled": pgettext_lazy("order", "Cancelled"),
        "refunded": _("Refunded in full"),
    },
    "intervention_state": {
        "awaiting_evidence": _("Collecting evidence"),
        "under_review": _("Under review"),
        "ruled": _("Ruled"),
        "appealed": _("Under appeal"),
        "resolved_by_merchant": _("Resolved by the shop"),
    },
    "ruling_outcome": {
        "buyer_full_refund": _("Full refund to the buyer"),
        "buyer_partial_refund": _("Partial refund to the buyer"),
        "merchant_wins": _("The shop wins"),
    },
    "appeal_decision": {
        "uphold": _("Ruling upheld"),
        "overturn": _("Ruling overturned"),
    },
    "party": {
        "buyer": _("Buyer"),
        "merchant": _("Shop"),
        "platform": _("Platform"),
    },
    "actor_role": {
        "buyer": _("Buyer"),
        "merchant": _("Shop"),
        "agent": _("Platform"),
        "supervisor": _("Platform"),
        "system": _("System"),
    },
    # Whose move it is (disputes.selectors.Move.whose), as the buyer reads it.
    "whose_move_buyer": {
        "buyer": _("Your move"),
        "merchant": _("The shop answers"),
        "platform": _("The platform decides"),
    },
    # The headline of a notification, by its kind (its text follows: core.notices).
    "notification_kind": {
        "refund_filed": _("New after-sales request"),
        "refund_auto_approved": _("Request approved automatically"),
        "refund_closed": _("After-sales closed"),
        "refund_rejected": _("The shop rejected your request"),
        "refund_revised": _("The buyer edited the request"),
        "refund_cancelled": _("The buyer cancelled the request"),
        "return_requested": _("The shop agreed: send the item back"),
        "return_shipped": _("The buyer shipped the return"),
        "refunded": _("Refunded"),
        "intervention_opened": _("The platform stepped in"),
        "ruling": _("The platform ruled"),
        "appeal": _("The shop appealed"),
        "appeal_decided": _("The appeal was decided"),
        "penalty": _("Penalty points"),
        "restriction": _("Shop restriction changed"),
        "deadline_reminder": _("A deadline is near"),
    },
    # What happened, for timelines read from the audit trail.
    "audit_action": {
        "place": _("Order placed"),
        "pay": _("Paid"),
        "ship": _("Shipped by the shop"),
        "deliver": _("Delivered"),
        "confirm_receipt": _("Receipt confirmed"),
        "auto_confirm": _("Receipt confirmed automatically"),
        "mark_refunded": _("Order refunded in full"),
        "file": _("After-sales request filed"),
        "approve": _("The shop approved"),
        "approve_without_return": _("The shop refunded without return"),
        "auto_approve": _("Approved automatically: the shop did not answer in time"),
        "reject": _("The shop rejected"),
        "revise": _("Request edited"),
        "escalate": _("Platform intervention requested"),
        "cancel": _("Request cancelled"),
        "auto_close": _("Closed automatically: the window passed"),
        "ship_return": _("Return shipped"),
        "confirm_return": _("The shop confirmed the return"),
        "auto_confirm_return": _("Return confirmed automatically"),
        "concede": _("The shop conceded the refund"),
        "open": _("Intervention opened"),
        "assign": _("An agent took the case"),
        "close_evidence": _("Evidence closed"),
        "rule": _("The platform ruled"),
        "resolve_by_merchant": _("Resolved by the shop"),
        "appeal": _("The shop appealed"),
        "decide_appeal": _("The appeal was decided"),
    },
    "seller_level": {
        "excellent": _("Excellent"),
        "standard": _("Standard"),
        "below_standard": _("Below standard"),
    },
    "penalty_kind": {
        "dispute_lost": _("Dispute lost"),
        "non_cooperation": _("Did not cooperate"),
        "adjustment": _("Adjusted by a platform supervisor"),
    },
    # The refund and case actions, by the names the selectors return.
    "action": {
        "revise": _("Edit request"),
        "cancel": _("Cancel request"),
        "escalate": _("Apply for platform intervention"),
        "ship_return": _("Enter return tracking"),
        "evidence": _("Add evidence"),
        "approve": _("Approve"),
        "approve_without_return": _("Refund without return"),
        "reject": _("Reject"),
        "confirm_return": _("Confirm return and refund"),
        "concede": _("Concede"),
        "appeal": _("Appeal"),
    },
}


def label(group: str, value) -> str:
    """The page's word for `value`; an unknown value shows as stored rather than failing."""
    return LABELS.get(group, {}).get(str(value), value)


# Audit notes that are what a party typed (a reason, a statement, a tracking number, an amount),
# shown on timelines; the others are the system's own bookkeeping.
AUDIT_NOTES_SHOWN = frozenset({"reject", "escalate", "ship_return", "revise", "appeal"})

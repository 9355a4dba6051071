"""Writes for refunds, interventions, rulings and appeals: one function per action.

Each runs in one transaction, locks order → refund → intervention (and the penalties service
locks the shop last), checks that the actor may act, transitions, saves, writes the audit
entry and the notifications, and calls the penalty service when a ruling goes against the shop.
Functions for the system's own moves (auto_*) expect the sweep to hold the row locks already.

One module per workflow: `refunds` (file, answer, return), `interventions` (escalate, assign,
rule, concede), `appeals`, `evidence`, `messages`, `returns` (where a return goes),
`settlement` (money), `automatic` (the sweep's moves), `notifications`, and `common` (the lock
order and the input checks).
"""

from disputes.policies import FILEABLE_ORDER_STATES
from disputes.services.appeals import appeal_decide, ruling_appeal
from disputes.services.automatic import (
    intervention_close_evidence,
    refund_auto_approve,
    refund_auto_close,
    refund_auto_confirm_return,
)
from disputes.services.common import lock_case, lock_refund
from disputes.services.evidence import intervention_submit_evidence, refund_add_evidence
from disputes.services.interventions import (
    intervention_assign,
    intervention_rule,
    merchant_cooperated_default,
    refund_concede,
    refund_escalate,
)
from disputes.services.messages import refund_message_write
from disputes.services.refunds import (
    refund_accept_offer,
    refund_approve,
    refund_approve_without_return,
    refund_cancel,
    refund_confirm_return,
    refund_decline_offer,
    refund_file,
    refund_offer,
    refund_reject,
    refund_revise,
    refund_ship_return,
)
from disputes.services.returns import refund_snapshot_return_address
from disputes.services.settlement import refund_payment_send, refund_payments_send_unsent

__all__ = [
    "FILEABLE_ORDER_STATES",
    "appeal_decide",
    "intervention_assign",
    "intervention_close_evidence",
    "intervention_rule",
    "intervention_submit_evidence",
    "lock_case",
    "lock_refund",
    "merchant_cooperated_default",
    "refund_accept_offer",
    "refund_add_evidence",
    "refund_approve",
    "refund_approve_without_return",
    "refund_auto_approve",
    "refund_auto_close",
    "refund_auto_confirm_return",
    "refund_cancel",
    "refund_concede",
    "refund_confirm_return",
    "refund_decline_offer",
    "refund_escalate",
    "refund_file",
    "refund_message_write",
    "refund_offer",
    "refund_payment_send",
    "refund_payments_send_unsent",
    "refund_reject",
    "refund_revise",
    "refund_ship_return",
    "refund_snapshot_return_address",
    "ruling_appeal",
]

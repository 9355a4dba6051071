"""The guards on the refund graph (SPEC §4, §7): windows, limits and the filing rules.

Every refusal raises the domain error and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from core.errors import DomainError, InvalidInput, PermissionDenied, TransitionNotAllowed
from disputes import services as ds
from disputes.errors import DisputeErrorCode
from disputes.models import RefundKind, RefundReason, RefundRequest
from disputes.policies import after_sales_closed_at
from tests.domain.conftest import Snapshot
from tests.domain.graph import REFUND_STATES, reach_refund


def _refused(call, error=DomainError):
    with pytest.raises(error) as refused, transaction.atomic():
        call()
    return refused.value


# --- escalation --------------------------------------------------------------------------


@pytest.mark.parametrize("label", [s for s in REFUND_STATES if s != "rejected"])
def test_escalating_from_any_state_but_rejected_is_refused_and_changes_nothing(wf, label):
    # given
    refund = reach_refund(wf, label)
    before = Snapshot.take(refund=refund)

    # when
    error = _refused(
        lambda: ds.refund_escalate(
            refund=refund, actor=refund.buyer, statement="Please help", now=wf.now
        ),
        TransitionNotAllowed,
    )

    # then
    assert error.state == REFUND_STATES[label]
    assert Snapshot.take(refund=refund) == before


def test_a_rejected_refund_escalated_before_cannot_be_escalated_again(wf):
    # given: no path of the graph leads back to `rejected` after an escalation (a ruling
    # closes, refunds, or orders a return the merchant cannot reject), so the guard is shown
    # on a rejected request that carries an earlier escalation.
    refund = wf.refund("rejected")
    RefundRequest.objects.filter(pk=refund.pk).update(escalated_at=wf.now)
    before = Snapshot.take(refund=refund)

    # when
    error = _refused(
        lambda: ds.refund_escalate(
            refund=refund, actor=refund.buyer, statement="Again", now=wf.now
        ),
        TransitionNotAllowed,
    )

    # then
    assert error.code == DisputeErrorCode.ESCALATED_BEFORE
    assert Snapshot.take(refund=refund) == before


def test_escalating_after_the_rejection_window_is_refused(wf):
    # given
    refund = wf.refund("rejected")
    before = Snapshot.take(refund=refund)

    # when
    error = _refused(
        lambda: ds.refund_escalate(
            refund=refund,
            actor=refund.buyer,
            statement="Too late",
            now=refund.deadline + timedelta(seconds=1),
        ),
        TransitionNotAllowed,
    )

    # then
    assert error.code == DisputeErrorCode.ESCALATE_WINDOW_CLOSED
    assert Snapshot.take(refund=refund) == before


def test_escalating_at_the_last_moment_of_the_window_opens_an_intervention(wf):
    refund = wf.refund("rejected")

    intervention = ds.refund_escalate(
        refund=refund, actor=refund.buyer, statement="Just in time", now=refund.deadline
    )

    assert intervention.state == "awaiting_evidence"
    assert intervention.evidence_deadline == refund.deadline + timedelta(hours=48)


# --- revision ----------------------------------------------------------------------------


def _revise(wf, refund, *, now=None, amount=Decimal("50.00")):
    return ds.refund_revise(
        refund=refund,
        actor=refund.buyer,
        amount=amount,
        reason=RefundReason.WRONG_ITEM,
        description="It is the wrong colour",
        now=now or wf.now,
    )


def test_revising_after_the_rejection_window_is_refused(wf):
    refund = wf.refund("rejected")
    before = Snapshot.take(refund=refund)

    _refused(
        lambda: _revise(wf, refund, now=refund.deadline + timedelta(seconds=1)),
        TransitionNotAllowed,
    )

    assert Snapshot.take(refund=refund) == before


def test_a_revision_sends_the_new_amount_and_reason_to_the_merchant_with_a_new_deadline(wf):
    refund = wf.refund("rejected")
    wf.later(days=1)

    refund = _revise(wf, refund, amount=Decimal("40.00"))

    assert (refund.state, refund.amount, refund.reason) == (
        "requested",
        Decimal("40.00"),
        RefundReason.WRONG_ITEM,
    )
    assert refund.revision_count == 1
    assert refund.deadline == wf.now + timedelta(hours=48)


def test_a_buyer_may_revise_three_times_and_the_fourth_revision_is_refused(wf, merchant):
    # given: three rounds of revise and reject
    refund = wf.refund("rejected")
    for _ in range(3):
        refund = _revise(wf, refund)
        refund = ds.refund_reject(refund=refund, actor=merchant, reason="Still no", now=wf.now)
    before = Snapshot.take(refund=refund)

    # when
    error = _refused(lambda: _revise(wf, refund), TransitionNotAllowed)

    # then
    assert error.code == DisputeErrorCode.NO_REVISIONS_LEFT
    assert Snapshot.take(refund=refund) == before


def test_a_revision_above_the_refundable_amount_is_refused(wf):
    refund = wf.refund("rejected")
    before = Snapshot.take(refund=refund)

    _refused(lambda: _revise(wf, refund, amount=Decimal("100.01")), InvalidInput)

    assert Snapshot.take(refund=refund) == before


# --- rejection and approval guards -------------------------------------------------------


def test_the_merchant_cannot_reject_a_return_the_platform_ordered(wf, merchant):
    # given: the agent ordered the goods back and the buyer shipped them
    intervention = wf.intervention("under_review")
    wf.rule_against_merchant(intervention, return_required=True)
    refund = RefundRequest.objects.get(pk=intervention.refund_id)
    assert (refund.state, refund.platform_ordered_return) == ("awaiting_return", True)
    refund = ds.refund_ship_return(
        refund=refund, actor=refund.buyer, courier="yto", tracking_number="YT1"
    )
    before = Snapshot.take(refund=refund)

    # when
    error = _refused(
        lambda: ds.refund_reject(refund=refund, actor=merchant, reason="Scratched", now=wf.now),
        TransitionNotAllowed,
    )

    # then
    assert error.code == DisputeErrorCode.RETURN_ORDERED_BY_PLATFORM
    assert Snapshot.take(refund=refund) == before


def test_refund_without_return_is_refused_for_a_refund_only_request(wf, merchant):
    refund = wf.refund("requested", kind=RefundKind.REFUND_ONLY)
    before = Snapshot.take(refund=refund)

    error = _refused(
        lambda: ds.refund_approve_without_return(refund=refund, actor=merchant, now=wf.now),
        TransitionNotAllowed,
    )

    assert error.code == DisputeErrorCode.NOT_A_RETURN_REQUEST
    assert Snapshot.take(refund=refund) == before


def test_a_rejection_needs_a_reason(wf, merchant):
    refund = wf.refund("requested")
    before = Snapshot.take(refund=refund)

    _refused(
        lambda: ds.refund_reject(refund=refund, actor=merchant, reason="  ", now=wf.now),
        InvalidInput,
    )

    assert Snapshot.take(refund=refund) == before


# --- filing --------------------------------------------------------------------------------


def _file(wf, order, *, buyer=None, amount=Decimal("100.00"), reason=RefundReason.QUALITY_PROBLEM):
    return ds.refund_file(
        buyer=buyer or order.buyer,
        order=order,
        kind=RefundKind.REFUND_ONLY,
        reason=reason,
        amount=amount,
        description="broken",
        now=wf.now,
    )


def _refused_filing(wf, order, error, **kwargs):
    before = Snapshot.take(order=order)
    refused = _refused(lambda: _file(wf, order, **kwargs), error)
    assert Snapshot.take(order=order) == before
    return refused


@pytest.mark.parametrize("state", ["paid", "shipped", "delivered", "completed"])
def test_a_buyer_files_a_refund_on_a_paid_order(wf, state):
    order = wf.order(state)

    refund = _file(wf, order)

    assert (refund.state, refund.amount, refund.order_id) == ("requested", Decimal("100"), order.pk)


@pytest.mark.parametrize("state", ["pending_payment", "cancelled"])
def test_filing_on_an_unpaid_order_is_refused_and_writes_nothing(wf, state):
    order = wf.order(state)

    error = _refused_filing(wf, order, TransitionNotAllowed)

    assert error.state == state


def test_filing_on_a_fully_refunded_order_is_refused(wf):
    order = wf.refund("refunded").order

    _refused_filing(wf, order, TransitionNotAllowed)


@pytest.mark.parametrize("label", ["requested", "awaiting_return", "rejected", "in_intervention"])
def test_filing_while_another_request_is_open_is_refused(wf, label):
    order = reach_refund(wf, label).order

    error = _refused_filing(wf, order, TransitionNotAllowed, amount=Decimal("10.00"))

    assert error.code == DisputeErrorCode.OPEN_REQUEST_EXISTS


@pytest.mark.parametrize("label", ["cancelled", "closed"])
def test_a_new_request_may_follow_a_finished_one(wf, label):
    order = reach_refund(wf, label).order

    refund = _file(wf, order)

    assert refund.state == "requested"


def test_another_buyer_cannot_file_on_an_order_not_theirs(wf, actors):
    order = wf.order("shipped")

    _refused_filing(wf, order, PermissionDenied, buyer=actors["other_buyer"])


@pytest.mark.parametrize(
    ("reason", "days_after_completion", "allowed"),
    [
        (RefundReason.QUALITY_PROBLEM, 15, True),
        (RefundReason.QUALITY_PROBLEM, 15.001, False),
        (RefundReason.NO_REASON_7_DAYS, 7, True),
        (RefundReason.NO_REASON_7_DAYS, 7.001, False),
        (RefundReason.NO_REASON_7_DAYS, 14, False),
    ],
    ids=["15d-in", "15d-out", "7d-in", "7d-out", "no-reason-at-14d"],
)
def test_filing_on_a_completed_order_is_limited_to_the_after_sales_window(
    wf, reason, days_after_completion, allowed
):
    # given
    order = wf.order("completed")
    wf.later(days=days_after_completion)

    # when / then
    if allowed:
        assert _file(wf, order, reason=reason).state == "requested"
    else:
        error = _refused_filing(wf, order, TransitionNotAllowed, reason=reason)
        assert error.code == DisputeErrorCode.AFTER_SALES_WINDOW_CLOSED


def test_the_closed_window_says_when_it_closed_for_the_reason_given(wf):
    order = wf.order("completed")
    wf.later(days=8)

    error = _refused_filing(wf, order, TransitionNotAllowed, reason=RefundReason.NO_REASON_7_DAYS)

    assert error.params == {"at": order.completed_at + timedelta(days=7), "days": 7}
    assert after_sales_closed_at(order, now=wf.now) is None  # other reasons: 15 days
    wf.later(days=8)
    assert after_sales_closed_at(order, now=wf.now) == order.completed_at + timedelta(days=15)


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00", "100.01", "12.345"])
def test_filing_an_amount_outside_zero_to_the_amount_paid_is_refused(wf, amount):
    order = wf.order("shipped")

    error = _refused_filing(wf, order, InvalidInput, amount=Decimal(amount))

    assert error.field == "amount"


def test_a_later_request_may_ask_only_for_what_is_left_after_earlier_refunds(wf, merchant):
    # given: ¥30 of the ¥100 has been refunded already
    order = wf.order("shipped")
    first = _file(wf, order, amount=Decimal("30.00"))
    ds.refund_approve(refund=first, actor=merchant, now=wf.now)

    # when / then
    _refused_filing(wf, order, InvalidInput, amount=Decimal("70.01"))
    assert _file(wf, order, amount=Decimal("70.00")).amount == Decimal("70.00")


def test_return_and_refund_is_refused_before_anything_was_shipped(wf):
    order = wf.order("paid")
    before = Snapshot.take(order=order)

    _refused(
        lambda: ds.refund_file(
            buyer=order.buyer,
            order=order,
            kind=RefundKind.RETURN_AND_REFUND,
            reason=RefundReason.QUALITY_PROBLEM,
            amount=Decimal("10.00"),
            now=wf.now,
        ),
        InvalidInput,
    )

    assert Snapshot.take(order=order) == before

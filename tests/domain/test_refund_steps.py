"""售后详情's progress bar (`refund_steps`): the steps a request goes through, which one it is at,
and an honest end when it ended short of a refund."""

from __future__ import annotations

import pytest

from disputes import services as ds
from disputes.models import RefundKind, RulingOutcome
from disputes.selectors import refund_steps

pytestmark = pytest.mark.django_db


def _bar(refund) -> list[tuple[str, str]]:
    refund.refresh_from_db()
    return [(step.step, step.status) for step in refund_steps(refund)]


def test_a_refund_only_request_waiting_for_the_shop_has_no_return_step(wf):
    assert _bar(wf.refund("requested")) == [
        ("filed", "done"),
        ("shop", "current"),
        ("refunded", "upcoming"),
    ]


def test_a_return_request_waiting_for_the_shop_has_the_return_ahead(wf):
    assert _bar(wf.refund("requested", kind=RefundKind.RETURN_AND_REFUND)) == [
        ("filed", "done"),
        ("shop", "current"),
        ("return", "upcoming"),
        ("refunded", "upcoming"),
    ]


def test_an_approved_return_is_at_the_return_step_until_the_shop_confirms_it(wf):
    refund = wf.refund("return_shipped")
    assert _bar(refund) == [
        ("filed", "done"),
        ("shop", "done"),
        ("return", "current"),
        ("refunded", "upcoming"),
    ]

    ds.refund_confirm_return(refund=refund, actor=wf.merchant, now=wf.now)

    assert _bar(refund) == [
        ("filed", "done"),
        ("shop", "done"),
        ("return", "done"),
        ("refunded", "current"),
    ]


def test_a_return_request_refunded_without_the_goods_back_skips_the_return(wf):
    refund = wf.refund("refunded", kind=RefundKind.RETURN_AND_REFUND)

    assert _bar(refund) == [("filed", "done"), ("shop", "done"), ("refunded", "current")]
    steps = refund_steps(refund)
    assert steps[1].at == refund.responded_at
    assert steps[2].at == refund.closed_at


def test_a_rejected_request_stays_with_the_shop(wf):
    assert _bar(wf.refund("rejected"))[1] == ("shop", "current")


def test_a_request_withdrawn_before_the_shop_answered_ends_right_after_filing(wf):
    refund = wf.refund("cancelled")

    assert _bar(refund) == [("filed", "done"), ("cancelled", "current")]
    assert refund_steps(refund)[-1].is_end


def test_a_request_closed_after_the_shops_rejection_ends_closed_not_refunded(wf):
    assert _bar(wf.refund("closed")) == [
        ("filed", "done"),
        ("shop", "done"),
        ("closed", "current"),
    ]


def test_an_escalated_request_is_with_the_platform_and_a_ruling_for_the_shop_closes_it(wf):
    intervention = wf.intervention("under_review")
    assert _bar(intervention.refund) == [
        ("filed", "done"),
        ("shop", "done"),
        ("platform", "current"),
        ("refunded", "upcoming"),
    ]

    wf.rule_against_merchant(
        intervention, outcome=RulingOutcome.MERCHANT_WINS, merchant_responsible=False
    )

    assert _bar(intervention.refund) == [
        ("filed", "done"),
        ("shop", "done"),
        ("platform", "done"),
        ("closed", "current"),
    ]


def test_a_return_the_platform_ordered_comes_after_the_platform_step(wf):
    intervention = wf.intervention("under_review")

    wf.rule_against_merchant(intervention, return_required=True)

    assert _bar(intervention.refund) == [
        ("filed", "done"),
        ("shop", "done"),
        ("platform", "done"),
        ("return", "current"),
        ("refunded", "upcoming"),
    ]

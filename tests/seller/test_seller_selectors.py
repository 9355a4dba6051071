"""The seller center's reads: the queue's order, overdue rows, and the penalty cases with the
appeal policy's answer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from disputes.errors import DisputeErrorCode
from disputes.selectors import refund_response_stats
from penalties.selectors import merchant_dashboard
from seller.selectors import is_low_value, is_overdue, penalty_cases, seller_queue
from tests import factories


def test_the_queue_puts_the_shops_own_moves_first_soonest_deadline_first(wf, shop):
    later = wf.refund("requested")  # answered within 48 h (shipped)
    waiting_for_buyer = wf.refund("rejected")
    wf.later(hours=1)
    sooner = wf.refund("requested", order=wf.order("paid"))  # not shipped: 24 h
    returned = wf.refund("return_shipped")  # 10 days to confirm

    rows = list(seller_queue(shop_id=shop.pk))

    assert [r.pk for r in rows] == [sooner.pk, later.pk, returned.pk, waiting_for_buyer.pk]
    assert [r.shop_must_act for r in rows] == [True, True, True, False]
    assert rows[0].due == sooner.deadline


def test_a_request_past_its_deadline_is_overdue(wf, shop):
    refund = wf.refund("requested")
    row = seller_queue(shop_id=shop.pk).get()

    assert not is_overdue(row.due, wf.now)
    assert is_overdue(row.due, refund.deadline + timedelta(minutes=1))


def test_another_shops_requests_are_not_in_the_queue(wf, shop):
    wf.refund("requested")
    other = factories.ShopFactory()

    assert list(seller_queue(shop_id=other.pk)) == []


def test_the_evidence_step_of_an_intervention_is_the_shops_move_by_the_evidence_deadline(wf, shop):
    intervention = wf.intervention("awaiting_evidence")

    row = seller_queue(shop_id=shop.pk).get()

    assert row.shop_must_act
    assert row.due == intervention.evidence_deadline


def test_the_low_value_advice_follows_the_rule(wf, settings):
    refund = wf.refund("requested")  # the order is worth ¥100
    assert not is_low_value(refund)

    settings.PLATFORM_RULES = {"low_value_item": Decimal("100.00")}
    assert is_low_value(refund)


def test_a_ruling_against_the_shop_is_one_case_with_its_points_and_an_open_appeal(
    wf, shop, merchant
):
    intervention = wf.intervention("under_review")
    wf.rule_against_merchant(intervention, merchant_cooperated=False)

    board = merchant_dashboard(
        shop=shop, refund_responses=refund_response_stats(shop_id=shop.pk), now=wf.now
    )
    [case] = penalty_cases(board.records, merchant, now=wf.now)

    assert case.points == 2 + 4
    assert len(case.records) == 2
    assert case.counts
    assert case.may_appeal.allowed
    closed = penalty_cases(board.records, merchant, now=wf.now + timedelta(days=31))[0]
    assert not closed.may_appeal.allowed
    assert closed.may_appeal.error.code == DisputeErrorCode.APPEAL_WINDOW_CLOSED

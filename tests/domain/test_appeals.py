"""Appeals (SPEC §5): once, within 30 days, by the shop's merchant, decided by a supervisor.
Overturning undoes the penalty and reimburses the merchant; the buyer keeps the refund."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from disputes import services as ds
from disputes.errors import DisputeErrorCode
from disputes.models import Appeal, PlatformReimbursement, RefundPayment, Ruling, RulingOutcome
from merchants.selectors import catalogue
from penalties.models import Restriction
from penalties.services import points_in_period
from tests.domain.conftest import Snapshot
from tests.refusals import refused


def _ruled(wf, **ruling):
    intervention = wf.intervention("under_review")
    return wf.rule_against_merchant(intervention, **ruling)


def _appeal(wf, ruling, *, actor=None, now=None, statement="The courier crushed the box"):
    return ds.ruling_appeal(
        ruling=ruling, actor=actor or wf.merchant, statement=statement, now=now or wf.now
    )


def _decide(wf, appeal, decision, *, actor=None):
    return ds.appeal_decide(
        appeal=appeal,
        actor=actor or wf.supervisor,
        decision=decision,
        note="The courier's report shows transit damage",
        now=wf.now,
    )


def _snapshot(ruling):
    intervention = ruling.intervention
    return Snapshot.take(refund=intervention.refund, intervention=intervention)


def test_the_merchant_appeals_a_ruling_within_30_days_with_a_statement(wf):
    ruling = _ruled(wf)
    wf.later(days=30)

    appeal = _appeal(wf, ruling)

    assert (appeal.ruling_id, appeal.appellant, appeal.statement) == (
        ruling.pk,
        wf.merchant,
        "The courier crushed the box",
    )
    ruling.intervention.refresh_from_db()
    assert ruling.intervention.state == "appealed"


def test_an_appeal_after_the_30_day_window_is_refused(wf):
    ruling = _ruled(wf)
    before = _snapshot(ruling)

    with refused(DisputeErrorCode.APPEAL_WINDOW_CLOSED), transaction.atomic():
        _appeal(wf, ruling, now=ruling.appeal_deadline + timedelta(seconds=1))

    assert _snapshot(ruling) == before


def test_an_appeal_needs_a_statement(wf):
    ruling = _ruled(wf)
    before = _snapshot(ruling)

    with pytest.raises(InvalidInput), transaction.atomic():
        _appeal(wf, ruling, statement=" ")

    assert _snapshot(ruling) == before


def test_a_second_appeal_while_the_first_is_pending_is_refused(wf):
    ruling = _ruled(wf)
    _appeal(wf, ruling)
    before = _snapshot(ruling)

    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        _appeal(wf, ruling, statement="And another thing")

    assert _snapshot(ruling) == before


def test_a_second_appeal_after_the_decision_is_refused(wf):
    ruling = _ruled(wf)
    _decide(wf, _appeal(wf, ruling), "uphold")
    before = _snapshot(ruling)

    with refused(DisputeErrorCode.ALREADY_APPEALED), transaction.atomic():
        _appeal(wf, ruling, statement="New photos")

    assert _snapshot(ruling) == before


def test_a_ruling_the_shop_won_cannot_be_appealed(wf):
    ruling = _ruled(wf, outcome=RulingOutcome.MERCHANT_WINS, merchant_responsible=False)

    with refused(DisputeErrorCode.NOTHING_TO_APPEAL), transaction.atomic():
        _appeal(wf, ruling)

    assert not Appeal.objects.exists()


@pytest.mark.parametrize("who", ["buyer", "other_buyer", "other_merchant", "agent", "supervisor"])
def test_only_the_shops_merchant_may_appeal(wf, actors, who):
    ruling = _ruled(wf)
    before = _snapshot(ruling)

    with pytest.raises(PermissionDenied), transaction.atomic():
        _appeal(wf, ruling, actor=actors[who])

    assert _snapshot(ruling) == before


@pytest.mark.parametrize("who", ["buyer", "merchant", "other_buyer", "other_merchant", "agent"])
def test_only_a_supervisor_may_decide_an_appeal(wf, actors, who):
    ruling = _ruled(wf)
    appeal = _appeal(wf, ruling)
    before = _snapshot(ruling)

    with pytest.raises(PermissionDenied), transaction.atomic():
        _decide(wf, appeal, "overturn", actor=actors[who])

    assert _snapshot(ruling) == before
    appeal.refresh_from_db()
    assert appeal.decision == ""


def _restricted_by_two_rulings(wf, shop):
    """Two lost disputes of 6 points each: 12 points, restricted; returns the second ruling."""
    orders = [wf.order("shipped") for _ in range(2)]
    rulings = [
        wf.rule_against_merchant(wf.intervention("under_review", order=o), penalty_points=6)
        for o in orders
    ]
    shop.refresh_from_db()
    assert shop.restricted_until is not None
    return rulings[-1]


def test_overturning_reverses_the_penalty_lifts_the_restriction_and_reimburses_the_shop(
    wf, shop, product
):
    # given: the shop was restricted at 12 points and appeals the ruling that got it there
    ruling = _restricted_by_two_rulings(wf, shop)
    appeal = _appeal(wf, ruling)
    wf.later(days=1)

    # when
    _decide(wf, appeal, "overturn")

    # then: the penalty stops counting, with a note
    records = list(ruling.penalties.all())
    assert records
    assert all(r.reversed_at == wf.now for r in records)
    assert all("transit damage" in r.reversal_note for r in records)
    assert points_in_period(shop_id=shop.pk, period=2026) == 6
    # the dispute case leaves the shop's credit and the restriction is lifted
    shop.refresh_from_db()
    assert shop.dispute_cases == 1
    assert shop.restricted_until is None
    restriction = Restriction.objects.get(shop=shop)
    assert restriction.ended_at == wf.now
    assert "overturned" in restriction.lifted_reason
    assert product in catalogue(now=wf.now)
    # the platform pays the merchant back; the buyer keeps the refund
    reimbursement = PlatformReimbursement.objects.get(ruling=ruling)
    assert (reimbursement.shop_id, reimbursement.amount) == (shop.pk, Decimal("100.00"))
    refund = ruling.intervention.refund
    refund.refresh_from_db()
    assert refund.state == "refunded"
    assert RefundPayment.objects.get(refund=refund).amount == Decimal("100.00")
    refund.order.refresh_from_db()
    assert refund.order.refunded_amount == Decimal("100.00")
    ruling.refresh_from_db()
    assert ruling.overturned_at == wf.now
    ruling.intervention.refresh_from_db()
    assert ruling.intervention.state == "ruled"


def test_overturning_keeps_a_restriction_the_remaining_points_still_hold(wf, shop):
    # given: 18 points; overturning 6 leaves 12, still at the threshold
    orders = [wf.order("shipped") for _ in range(3)]
    rulings = [
        wf.rule_against_merchant(wf.intervention("under_review", order=o), penalty_points=6)
        for o in orders
    ]
    appeal = _appeal(wf, rulings[-1])

    # when
    _decide(wf, appeal, "overturn")

    # then
    assert points_in_period(shop_id=shop.pk, period=2026) == 12
    assert Restriction.objects.get(shop=shop).ended_at is None
    shop.refresh_from_db()
    assert shop.restricted_until is not None


def test_upholding_changes_no_penalty_credit_restriction_or_money(wf, shop):
    # given
    ruling = _restricted_by_two_rulings(wf, shop)
    appeal = _appeal(wf, ruling)
    shop.refresh_from_db()
    credit = (shop.dispute_cases, shop.restricted_until, shop.ranking_score)

    # when
    appeal = _decide(wf, appeal, "uphold")

    # then
    assert appeal.decision == "uphold"
    assert not ruling.penalties.filter(reversed_at__isnull=False).exists()
    assert points_in_period(shop_id=shop.pk, period=2026) == 12
    shop.refresh_from_db()
    assert (shop.dispute_cases, shop.restricted_until, shop.ranking_score) == credit
    assert Restriction.objects.get(shop=shop).ended_at is None
    assert not PlatformReimbursement.objects.exists()
    assert Ruling.objects.get(pk=ruling.pk).overturned_at is None


def test_overturning_a_ruling_whose_refund_was_never_paid_reimburses_nothing(wf, shop):
    # given: the agent ordered a return, the buyer never shipped it and the request closed
    from disputes.deadlines import enforce_deadlines

    intervention = wf.intervention("under_review")
    ruling = wf.rule_against_merchant(intervention, return_required=True)
    enforce_deadlines(now=wf.later(days=8))
    assert Ruling.objects.get(pk=ruling.pk).intervention.refund.state == "closed"
    appeal = _appeal(wf, ruling)

    # when
    _decide(wf, appeal, "overturn")

    # then: the penalty is reversed, but the shop paid nothing, so nothing is paid back
    assert not RefundPayment.objects.exists()
    assert not PlatformReimbursement.objects.exists()
    assert points_in_period(shop_id=shop.pk, period=2026) == 0


def test_overturning_a_partial_refund_reimburses_what_the_buyer_was_paid(wf):
    intervention = wf.intervention("under_review")
    ruling = wf.rule_against_merchant(
        intervention, outcome=RulingOutcome.BUYER_PARTIAL_REFUND, refund_amount=Decimal("40.00")
    )

    _decide(wf, _appeal(wf, ruling), "overturn")

    assert PlatformReimbursement.objects.get(ruling=ruling).amount == Decimal("40.00")

"""Penalty points, restrictions and the shop's public credit (SPEC §6)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from core.models import Notification
from disputes.errors import DisputeErrorCode
from disputes.models import Intervention, RulingOutcome
from merchants.errors import MerchantErrorCode
from merchants.selectors import catalogue
from merchants.services import product_create
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import penalty_period, penalty_record_for_ruling, points_in_period
from tests.domain.conftest import Snapshot
from tests.refusals import refused


def lose_dispute(wf, order, **ruling):
    """Purchase → refund → rejection → escalation → evidence → ruling against the merchant."""
    intervention = wf.intervention("under_review", order=order)
    return wf.rule_against_merchant(intervention, **ruling)


def test_a_shop_is_restricted_exactly_once_on_reaching_12_points(wf, shop, product, frozen_now):
    # given: six orders that will each turn into a lost dispute worth 2 points
    orders = [wf.order("shipped") for _ in range(6)]

    # when
    restrictions_after_each = []
    for order in orders:
        wf.later(hours=1)
        lose_dispute(wf, order)
        restrictions_after_each.append(Restriction.objects.filter(shop=shop).count())

    # then
    assert points_in_period(shop_id=shop.pk, period=2026) == 12
    assert restrictions_after_each == [0, 0, 0, 0, 0, 1]
    restriction = Restriction.objects.get(shop=shop)
    assert (restriction.level, restriction.points_at_start) == (1, 12)
    assert restriction.ends_at - restriction.starts_at == timedelta(days=7)
    shop.refresh_from_db()
    assert shop.restricted_until == wf.now + timedelta(days=7)
    assert shop.dispute_cases == 6
    assert product not in catalogue(now=wf.now)
    frozen_now(wf.now)
    with refused(MerchantErrorCode.SHOP_RESTRICTED) as refusal:
        product_create(shop=shop, title="New jacket", price=Decimal("80.00"))
    assert refusal.value.params["until"] == wf.now + timedelta(days=7)
    assert Notification.objects.filter(kind="restriction", recipient=wf.merchant).count() == 1


def test_a_shop_reaching_24_points_is_restricted_again_for_twice_as_long(wf, shop):
    # given: twelve orders placed while the shop was still open
    orders = [wf.order("shipped") for _ in range(12)]

    # when
    levels_after_each = []
    for order in orders:
        wf.later(hours=1)
        lose_dispute(wf, order)
        levels_after_each.append(Restriction.objects.filter(shop=shop).count())

    # then
    assert points_in_period(shop_id=shop.pk, period=2026) == 24
    assert levels_after_each == [0] * 5 + [1] * 6 + [2]
    first, second = Restriction.objects.filter(shop=shop).order_by("level")
    assert second.level == 2
    assert second.ends_at - second.starts_at == 2 * (first.ends_at - first.starts_at)
    assert second.ends_at - second.starts_at == timedelta(days=14)
    shop.refresh_from_db()
    assert shop.restricted_until == second.ends_at


def test_a_shop_crossing_its_25th_threshold_is_restricted_for_a_year_at_most(wf, shop, supervisor):
    from penalties.services import shop_points_adjust

    shop_points_adjust(shop=shop, actor=supervisor, points=300, reason="Fraud ring", now=wf.now)

    restrictions = Restriction.objects.filter(shop=shop).order_by("level")
    lengths = [r.ends_at - r.starts_at for r in restrictions]
    assert len(lengths) == 25
    assert lengths[:7] == [timedelta(days=d) for d in (7, 14, 28, 56, 112, 224, 365)]
    assert set(lengths[6:]) == {timedelta(days=365)}
    shop.refresh_from_db()
    assert shop.restricted_until == wf.now + timedelta(days=365)


def test_a_restricted_shop_cannot_publish_a_hidden_product(wf, shop, frozen_now):
    from merchants.services import product_publish

    hidden = product_create(shop=shop, title="Draft", price=Decimal("5.00"), publish=False)
    orders = [wf.order("shipped") for _ in range(2)]
    for order in orders:
        lose_dispute(wf, order, penalty_points=6)
    frozen_now(wf.now)

    with refused(MerchantErrorCode.SHOP_RESTRICTED):
        product_publish(product=hidden)

    hidden.refresh_from_db()
    assert not hidden.is_published


def test_a_merchant_who_did_not_cooperate_gets_4_points_on_top(wf, shop):
    order = wf.order("shipped")

    ruling = lose_dispute(wf, order, merchant_cooperated=False)

    records = {r.kind: r.points for r in PenaltyRecord.objects.filter(ruling=ruling)}
    assert records == {PenaltyKind.DISPUTE_LOST: 2, PenaltyKind.NON_COOPERATION: 4}
    assert points_in_period(shop_id=shop.pk, period=2026) == 6


def test_a_merchant_silent_through_the_evidence_window_is_ruled_uncooperative(wf, shop):
    # given: the merchant never gave evidence and the window ran out
    from disputes.deadlines import enforce_deadlines

    intervention = wf.intervention("awaiting_evidence")
    enforce_deadlines(now=wf.later(hours=49))
    intervention.refresh_from_db()

    # when: the agent leaves cooperation to the default
    ruling = wf.rule_against_merchant(intervention, merchant_cooperated=None)

    # then
    assert ruling.merchant_cooperated is False
    assert points_in_period(shop_id=shop.pk, period=2026) == 6


@pytest.mark.parametrize("points", [1, 6])
def test_the_agent_may_set_the_penalty_points_within_the_bounds(wf, shop, points):
    order = wf.order("shipped")

    ruling = lose_dispute(wf, order, penalty_points=points)

    assert ruling.penalty_points == points
    assert points_in_period(shop_id=shop.pk, period=2026) == points


@pytest.mark.parametrize("points", [0, 7, -1])
def test_penalty_points_outside_the_bounds_are_refused_and_nothing_is_ruled(wf, points):
    intervention = wf.intervention("under_review")
    before = Snapshot.take(refund=intervention.refund, intervention=intervention)

    with refused(DisputeErrorCode.PENALTY_POINTS_RANGE) as refusal:
        wf.rule_against_merchant(intervention, penalty_points=points)
    assert refusal.value.params == {"min": 1, "max": 6}

    assert Snapshot.take(refund=intervention.refund, intervention=intervention) == before


def test_a_ruling_the_merchant_wins_writes_no_penalty(wf, shop):
    intervention = wf.intervention("under_review")

    wf.rule_against_merchant(
        intervention,
        outcome=RulingOutcome.MERCHANT_WINS,
        merchant_responsible=False,
    )

    assert Intervention.objects.get(pk=intervention.pk).refund.state == "closed"
    assert not PenaltyRecord.objects.exists()
    shop.refresh_from_db()
    assert shop.dispute_cases == 0


def test_the_database_refuses_a_second_penalty_record_of_one_kind_for_one_ruling(wf, shop):
    ruling = lose_dispute(wf, wf.order("shipped"))

    with pytest.raises(IntegrityError), transaction.atomic():
        PenaltyRecord.objects.create(
            shop=shop, ruling=ruling, kind=PenaltyKind.DISPUTE_LOST, points=2, period=2026
        )

    assert PenaltyRecord.objects.filter(ruling=ruling).count() == 1


def test_writing_a_rulings_penalty_twice_is_refused_by_the_database(wf, shop):
    ruling = lose_dispute(wf, wf.order("shipped"))

    with pytest.raises(IntegrityError), transaction.atomic():
        penalty_record_for_ruling(ruling=ruling, shop_id=shop.pk, now=wf.now)

    assert points_in_period(shop_id=shop.pk, period=2026) == 2


def test_the_penalty_period_is_the_calendar_year_in_shanghai():
    new_year_in_shanghai = datetime(2026, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))

    assert penalty_period(new_year_in_shanghai) == 2027
    assert penalty_period(new_year_in_shanghai - timedelta(hours=1)) == 2026


def test_a_shop_whose_restriction_was_lifted_on_appeal_is_restricted_again_at_12_points(
    wf, shop, product
):
    # given: 12 points, restricted; the appeal overturns 6 of them and lifts the restriction
    from disputes import services as ds

    orders = [wf.order("shipped") for _ in range(3)]
    lose_dispute(wf, orders[0], penalty_points=6)
    overturned = lose_dispute(wf, orders[1], penalty_points=6)
    appeal = ds.ruling_appeal(ruling=overturned, actor=wf.merchant, statement="New", now=wf.now)
    ds.appeal_decide(appeal=appeal, actor=wf.supervisor, decision="overturn", note="Courier")
    shop.refresh_from_db()
    assert shop.restricted_until is None

    # when: a later lost dispute brings the shop back to 12 points
    wf.later(days=1)
    lose_dispute(wf, orders[2], penalty_points=6)

    # then
    assert points_in_period(shop_id=shop.pk, period=2026) == 12
    shop.refresh_from_db()
    assert shop.restricted_until == wf.now + timedelta(days=7)
    assert product not in catalogue(now=wf.now)

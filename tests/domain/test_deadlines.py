"""Every automatic transition, through `manage.py enforce_deadlines --now …` (SPEC §4, §5, §7).

The system acts at the deadline stored on the row, writes its audit entry as the system, and
a second run at the same moment finds nothing more to do.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from core.models import AuditEntry
from disputes import services as ds
from disputes.models import Intervention, RefundKind, RefundPayment, RefundRequest
from merchants.selectors import catalogue
from orders.models import Order
from penalties.models import Restriction
from tests.domain.conftest import Snapshot


def sweep(moment) -> str:
    out = StringIO()
    call_command("enforce_deadlines", "--now", moment.isoformat(), stdout=out)
    return out.getvalue()


def _system_entries(obj):
    return [
        (e.action, e.from_state, e.to_state)
        for e in AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(obj),
            target_id=obj.pk,
            actor__isnull=True,
            actor_role="system",
        )
    ]


def _refetch(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- auto-approve: the merchant's silence is agreement -------------------------------------


def test_a_refund_on_a_shipped_order_is_auto_approved_49_hours_after_filing(wf, t0):
    # given
    refund = wf.file(wf.order("shipped"))

    # when
    output = sweep(t0 + timedelta(hours=49))

    # then
    refund = _refetch(refund)
    assert (refund.state, refund.auto_approved) == ("refunded", True)
    assert _system_entries(refund) == [("auto_approve", "requested", "refunded")]
    assert RefundPayment.objects.get(refund=refund).amount == refund.amount
    assert _refetch(refund.order).state == "refunded"
    assert "refunds_auto_approved: 1" in output


def test_a_refund_on_a_shipped_order_is_left_alone_47_hours_after_filing(wf, t0):
    refund = wf.file(wf.order("shipped"))
    before = Snapshot.take(refund=refund)

    sweep(t0 + timedelta(hours=47))

    assert Snapshot.take(refund=refund) == before


@pytest.mark.parametrize(("hours", "state"), [(23, "requested"), (25, "refunded")])
def test_a_refund_on_an_unshipped_order_is_auto_approved_after_24_hours(wf, t0, hours, state):
    refund = wf.file(wf.order("paid"))

    sweep(t0 + timedelta(hours=hours))

    assert _refetch(refund).state == state


def test_an_auto_approved_return_waits_7_days_for_the_buyer_to_ship_it(wf, t0):
    refund = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)
    moment = t0 + timedelta(hours=49)

    sweep(moment)

    refund = _refetch(refund)
    assert (refund.state, refund.deadline) == ("awaiting_return", moment + timedelta(days=7))
    assert _system_entries(refund) == [("auto_approve", "requested", "awaiting_return")]
    assert not RefundPayment.objects.exists()


# --- auto-close: the buyer's silence ---------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "state"), [(6.99, "rejected"), (7, "closed")], ids=["before", "after"]
)
def test_a_rejected_refund_closes_7_days_after_the_rejection(wf, t0, days, state):
    refund = wf.refund("rejected")

    sweep(t0 + timedelta(days=days))

    refund = _refetch(refund)
    assert refund.state == state
    if state == "closed":
        assert _system_entries(refund) == [("auto_close", "rejected", "closed")]


@pytest.mark.parametrize(
    ("days", "state"), [(6.99, "awaiting_return"), (7.01, "closed")], ids=["before", "after"]
)
def test_an_approved_return_the_buyer_never_ships_closes_after_7_days(wf, t0, days, state):
    refund = wf.refund("awaiting_return")

    sweep(t0 + timedelta(days=days))

    refund = _refetch(refund)
    assert refund.state == state
    assert not RefundPayment.objects.exists()
    if state == "closed":
        assert _system_entries(refund) == [("auto_close", "awaiting_return", "closed")]


# --- auto-confirm the returned parcel -------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "state"), [(9.99, "return_shipped"), (10.01, "refunded")], ids=["before", "after"]
)
def test_a_returned_parcel_is_confirmed_for_a_silent_merchant_after_10_days(wf, t0, days, state):
    refund = wf.refund("return_shipped")

    sweep(t0 + timedelta(days=days))

    refund = _refetch(refund)
    assert refund.state == state
    assert RefundPayment.objects.filter(refund=refund).count() == (state == "refunded")
    if state == "refunded":
        assert _system_entries(refund) == [("auto_confirm_return", "return_shipped", "refunded")]
        assert _refetch(refund.order).refunded_amount == refund.amount


# --- the evidence window of an intervention ------------------------------------------------


def test_the_evidence_window_ends_after_48_hours_and_the_ruling_sla_starts(wf, t0):
    # given: the merchant never submits
    intervention = wf.intervention("awaiting_evidence")
    moment = t0 + timedelta(hours=48, minutes=1)

    # when
    sweep(moment)

    # then
    intervention = _refetch(intervention)
    assert intervention.state == "under_review"
    assert intervention.ruling_deadline == moment + timedelta(hours=48)
    assert _system_entries(intervention) == [
        ("close_evidence", "awaiting_evidence", "under_review")
    ]


def test_the_evidence_window_is_still_open_at_47_hours(wf, t0):
    intervention = wf.intervention("awaiting_evidence")

    sweep(t0 + timedelta(hours=47))

    assert _refetch(intervention).state == "awaiting_evidence"


# --- orders: auto-confirm receipt -------------------------------------------------------------


@pytest.mark.parametrize(("days", "state"), [(9.99, "delivered"), (10, "completed")])
def test_a_delivered_order_is_confirmed_for_the_buyer_after_10_days(wf, t0, days, state):
    order = wf.order("delivered")

    sweep(t0 + timedelta(days=days))

    order = _refetch(order)
    assert order.state == state
    if state == "completed":
        assert order.completed_at == t0 + timedelta(days=days)
        assert _system_entries(order) == [("auto_confirm", "delivered", "completed")]


def test_a_delivered_order_with_an_open_refund_is_not_auto_confirmed(wf, t0, merchant):
    # given: the request is with the platform, so it has no deadline of its own
    order = wf.order("delivered")
    refund = wf.file(order, amount=Decimal("20.00"))
    refund = ds.refund_reject(refund=refund, actor=merchant, reason="Fine when sent", now=t0)
    ds.refund_escalate(refund=refund, actor=refund.buyer, statement="It is not", now=t0)

    # when
    sweep(t0 + timedelta(days=11))

    # then
    order = _refetch(order)
    assert (order.state, order.auto_confirm_at) == ("delivered", t0 + timedelta(days=10))
    assert _refetch(refund).state == "in_intervention"


# --- restrictions end ---------------------------------------------------------------------


def _restrict(wf, shop):
    orders = [wf.order("shipped") for _ in range(2)]
    for order in orders:
        wf.rule_against_merchant(wf.intervention("under_review", order=order), penalty_points=6)
    return Restriction.objects.get(shop=shop)


def test_a_restriction_ends_when_its_time_runs_out(wf, shop, product):
    # given
    restriction = _restrict(wf, shop)
    assert product not in catalogue(now=restriction.ends_at - timedelta(seconds=1))

    # when
    sweep(restriction.ends_at)

    # then
    restriction = _refetch(restriction)
    assert restriction.ended_at == restriction.ends_at
    shop.refresh_from_db()
    assert shop.restricted_until is None
    assert product in catalogue(now=restriction.ends_at)
    assert ("restriction_ended", "restricted", "active") in _system_entries(shop)


def test_a_restriction_is_still_in_force_a_second_before_its_end(wf, shop):
    restriction = _restrict(wf, shop)

    sweep(restriction.ends_at - timedelta(seconds=1))

    assert _refetch(restriction).ended_at is None


# --- the sweep as a whole ---------------------------------------------------------------------


def test_running_the_sweep_twice_changes_nothing_more(wf, shop, t0):
    # given: one of every automatic move falls due by day 11
    due = [
        wf.refund("requested"),
        wf.refund("rejected"),
        wf.refund("awaiting_return"),
        wf.refund("return_shipped"),
    ]
    intervention = wf.intervention("awaiting_evidence")
    order = wf.order("delivered")
    restriction = _restrict(wf, shop)
    moment = t0 + timedelta(days=11)
    first = sweep(moment)
    states = (
        [_refetch(r).state for r in due],
        _refetch(intervention).state,
        _refetch(order).state,
        _refetch(restriction).ended_at,
    )
    after_first = Snapshot.take()

    # when
    second = sweep(moment)

    # then
    assert states == (
        ["refunded", "closed", "closed", "refunded"],
        "under_review",
        "completed",
        moment,
    )
    assert all(not line.endswith(": 0") for line in first.splitlines())
    assert all(line.endswith(": 0") for line in second.splitlines())
    assert Snapshot.take() == after_first


def test_a_rule_change_does_not_move_deadlines_already_stored(wf, t0, settings):
    # given: a request filed under the 48-hour rule
    before_change = wf.file(wf.order("shipped"))
    stored = before_change.deadline

    # when: the response window shrinks to one hour, and a new request is filed under it
    settings.PLATFORM_RULES = {"merchant_response_window": timedelta(hours=1)}
    after_change = wf.file(wf.order("shipped"))
    sweep(t0 + timedelta(hours=2))

    # then
    before_change = _refetch(before_change)
    assert (before_change.state, before_change.deadline) == ("requested", stored)
    assert stored == t0 + timedelta(hours=48)
    assert _refetch(after_change).state == "refunded"


def test_the_command_refuses_a_moment_that_is_not_iso_8601(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO-8601"):
        call_command("enforce_deadlines", "--now", "next tuesday", stdout=StringIO())
    assert not AuditEntry.objects.exists()
    assert not Order.objects.exists()
    assert not Intervention.objects.exists()
    assert not RefundRequest.objects.exists()

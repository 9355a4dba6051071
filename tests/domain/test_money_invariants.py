"""Money invariants that hold in the database itself, whatever code writes (SPEC §4, §10)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Sum

from core.models import AuditEntry
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import RefundKind, RefundPayment, RefundReason, RefundRequest, RulingOutcome
from orders.models import Order


def _db_refuses(call, error=IntegrityError):
    with pytest.raises(error), transaction.atomic():
        call()


def test_the_database_refuses_refunds_above_the_order_total(wf):
    order = wf.order("shipped")

    _db_refuses(
        lambda: Order.objects.filter(pk=order.pk).update(
            refunded_amount=F("total") + Decimal("0.01")
        )
    )

    assert Order.objects.get(pk=order.pk).refunded_amount == 0


def test_the_database_refuses_a_negative_refunded_amount(wf):
    order = wf.order("shipped")

    _db_refuses(lambda: Order.objects.filter(pk=order.pk).update(refunded_amount=Decimal("-1")))


def _raw_refund(order, amount=Decimal("10.00")):
    """A refund row written straight to the database, bypassing the service."""
    return RefundRequest.objects.create(
        order=order,
        buyer=order.buyer,
        shop=order.shop,
        kind=RefundKind.REFUND_ONLY,
        reason=RefundReason.QUALITY_PROBLEM,
        amount=amount,
    )


def test_the_database_refuses_a_second_open_refund_on_one_order(wf):
    refund = wf.refund("rejected")

    _db_refuses(lambda: _raw_refund(refund.order))

    assert RefundRequest.objects.filter(order=refund.order).count() == 1


def test_the_database_allows_a_new_refund_once_the_earlier_one_is_finished(wf):
    refund = wf.refund("cancelled")

    assert _raw_refund(refund.order).state == "requested"


@pytest.mark.parametrize("amount", ["0.00", "-0.01"])
def test_the_database_refuses_a_refund_amount_of_zero_or_less(wf, amount):
    order = wf.order("shipped")

    _db_refuses(lambda: _raw_refund(order, Decimal(amount)))

    assert not RefundRequest.objects.exists()


def test_the_database_refuses_a_second_payment_for_one_refund(wf):
    refund = wf.refund("refunded")

    _db_refuses(
        lambda: RefundPayment.objects.create(
            refund=refund, order=refund.order, amount=Decimal("1.00"), gateway_reference="X"
        )
    )

    assert RefundPayment.objects.filter(refund=refund).count() == 1


def test_the_database_refuses_a_refund_payment_of_zero(wf):
    refund = wf.refund("requested")

    _db_refuses(
        lambda: RefundPayment.objects.create(
            refund=refund, order=refund.order, amount=Decimal("0.00"), gateway_reference="X"
        )
    )


# Every way a request reaches `refunded`.
def _rule(wf, **kwargs):
    intervention = wf.intervention("under_review")
    wf.rule_against_merchant(intervention, **kwargs)
    return intervention.refund


REFUNDED_BY = {
    "approve": lambda wf: wf.refund("refunded", kind=RefundKind.REFUND_ONLY),
    "approve_without_return": lambda wf: wf.refund("refunded", kind=RefundKind.RETURN_AND_REFUND),
    "confirm_return": lambda wf: ds.refund_confirm_return(
        refund=wf.refund("return_shipped"), actor=wf.merchant, now=wf.now
    ),
    "auto_approve": lambda wf: (
        wf.refund("requested"),
        enforce_deadlines(now=wf.later(days=3)),
    )[0],
    "auto_confirm_return": lambda wf: (
        wf.refund("return_shipped"),
        enforce_deadlines(now=wf.later(days=11)),
    )[0],
    "concede": lambda wf: ds.refund_concede(
        refund=wf.intervention("awaiting_evidence").refund, actor=wf.merchant, now=wf.now
    ),
    "full_refund_ruling": lambda wf: _rule(wf),
    "partial_refund_ruling": lambda wf: _rule(
        wf, outcome=RulingOutcome.BUYER_PARTIAL_REFUND, refund_amount=Decimal("35.50")
    ),
}


@pytest.mark.parametrize("path", REFUNDED_BY)
def test_every_refunded_request_has_exactly_one_payment_that_the_order_counts(wf, path):
    # when
    refund = RefundRequest.objects.get(pk=REFUNDED_BY[path](wf).pk)

    # then
    assert refund.state == "refunded"
    payments = list(RefundPayment.objects.filter(refund=refund))
    assert [(p.amount, p.order_id) for p in payments] == [(refund.amount, refund.order_id)]
    order = Order.objects.get(pk=refund.order_id)
    assert (
        order.refunded_amount
        == RefundPayment.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    )


def test_a_partial_ruling_refunds_the_amount_the_agent_set(wf):
    refund = RefundRequest.objects.get(pk=REFUNDED_BY["partial_refund_ruling"](wf).pk)

    assert refund.amount == refund.payment.amount == Decimal("35.50")
    order = Order.objects.get(pk=refund.order_id)
    assert (order.state, order.refunded_amount) == ("shipped", Decimal("35.50"))


def test_partial_refunds_that_reach_the_total_refund_the_order(wf, merchant):
    # given
    order = wf.order("shipped")
    first = wf.file(order, amount=Decimal("30.00"))
    ds.refund_approve(refund=first, actor=merchant, now=wf.now)
    assert Order.objects.get(pk=order.pk).state == "shipped"

    # when
    second = wf.file(order, amount=Decimal("70.00"))
    ds.refund_approve(refund=second, actor=merchant, now=wf.now)

    # then
    order = Order.objects.get(pk=order.pk)
    assert (order.state, order.refunded_amount) == ("refunded", Decimal("100.00"))
    assert sorted(p.amount for p in order.refund_payments.all()) == [
        Decimal("30.00"),
        Decimal("70.00"),
    ]


# --- the audit trail is append-only ----------------------------------------------------------


def test_the_database_refuses_to_update_an_audit_entry(wf):
    wf.order("paid")
    entry = AuditEntry.objects.first()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")

    assert AuditEntry.objects.get(pk=entry.pk).note == entry.note


def test_the_database_refuses_to_save_changes_to_an_audit_entry(wf):
    wf.order("paid")
    entry = AuditEntry.objects.first()
    entry.created_at -= timedelta(days=1)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()


def test_the_database_refuses_to_delete_an_audit_entry_on_postgresql(wf):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE so the test runner can flush (core migration 0002)")
    wf.order("paid")
    count = AuditEntry.objects.count()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.count() == count

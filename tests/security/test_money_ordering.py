"""Finding 4: money moves only after the checks. A charge follows the state and permission
checks; a gateway refund is called only once the refund's row has committed, so a rollback
never leaves money moved without a row."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from core.errors import PermissionDenied, TransitionNotAllowed
from disputes import services as ds
from disputes.models import RefundPayment
from orders import payments
from orders import services as orders

pytestmark = pytest.mark.django_db


class RecordingGateway:
    calls: list[tuple[str, str, Decimal]] = []

    def charge(self, *, order_number: str, amount: Decimal) -> str:
        self.calls.append(("charge", order_number, amount))
        return f"PAY-{len(self.calls)}"

    def refund(self, *, order_number: str, amount: Decimal, key: str = "") -> str:
        self.calls.append(("refund", order_number, amount))
        return f"REF-{len(self.calls)}"


@pytest.fixture
def gateway_calls(settings):
    settings.PAYMENT_GATEWAY = f"{__name__}.RecordingGateway"
    payments.gateway.cache_clear()
    RecordingGateway.calls = []
    yield RecordingGateway.calls
    payments.gateway.cache_clear()


class Boom(Exception):
    pass


def test_paying_an_order_twice_charges_once_then_answers_409(wf, buyer, gateway_calls, client_for):
    order = wf.order("pending_payment")
    client = client_for(buyer)

    first = client.post(f"/api/v1/orders/{order.pk}/pay/")
    second = client.post(f"/api/v1/orders/{order.pk}/pay/")

    assert first.status_code == 200
    assert second.status_code == 409
    assert [c[0] for c in gateway_calls] == ["charge"]


def test_the_shops_merchant_paying_is_refused_before_any_charge(wf, merchant, gateway_calls):
    order = wf.order("pending_payment")

    with pytest.raises(PermissionDenied), transaction.atomic():
        orders.order_pay(order=order, actor=merchant, now=wf.now)

    assert gateway_calls == []


def test_a_refund_is_sent_to_the_gateway_only_after_its_row_commits(
    wf, merchant, gateway_calls, django_capture_on_commit_callbacks
):
    refund = wf.refund("requested")
    gateway_calls.clear()

    with django_capture_on_commit_callbacks(execute=False) as pending:
        ds.refund_approve(refund=refund, actor=merchant, now=wf.now)
        payment = RefundPayment.objects.get(refund=refund)
        assert gateway_calls == []  # the row exists, the money has not moved yet
        assert payment.gateway_reference == ""
    for callback in pending:
        callback()

    payment.refresh_from_db()
    assert gateway_calls == [("refund", refund.order.number, refund.amount)]
    assert payment.gateway_reference == "REF-1"


def test_a_ruling_that_rolls_back_after_the_refund_moves_no_money(
    wf, gateway_calls, monkeypatch, django_capture_on_commit_callbacks
):
    case = wf.intervention("under_review")
    gateway_calls.clear()

    def fail(**kwargs):
        raise Boom("the penalty step failed after the refund was settled")

    monkeypatch.setattr("disputes.services.interventions.penalty_record_for_ruling", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Boom):
        wf.rule_against_merchant(case)

    assert gateway_calls == []
    assert not RefundPayment.objects.exists()


def test_sending_a_refund_twice_moves_the_money_once(
    wf, merchant, gateway_calls, django_capture_on_commit_callbacks
):
    refund = wf.refund("requested")
    gateway_calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ds.refund_approve(refund=refund, actor=merchant, now=wf.now)
    payment = RefundPayment.objects.get(refund=refund)

    ds.refund_payment_send(payment_id=payment.pk)  # a retry by the jobs' sweep

    assert [c[0] for c in gateway_calls] == ["refund"]


def test_a_refund_refused_by_its_state_moves_no_money(wf, merchant, gateway_calls):
    refund = wf.refund("cancelled")
    gateway_calls.clear()

    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        ds.refund_approve(refund=refund, actor=merchant, now=wf.now)

    assert gateway_calls == []


class FlakyGateway(RecordingGateway):
    down = True

    def refund(self, *, order_number: str, amount: Decimal, key: str = "") -> str:
        if FlakyGateway.down:
            raise ConnectionError("gateway unreachable")
        return super().refund(order_number=order_number, amount=amount, key=key)


def test_a_refund_the_gateway_failed_stays_recorded_and_is_sent_by_the_retry(
    wf, merchant, settings, django_capture_on_commit_callbacks
):
    settings.PAYMENT_GATEWAY = f"{__name__}.FlakyGateway"
    payments.gateway.cache_clear()
    RecordingGateway.calls = []
    refund = wf.refund("requested")
    FlakyGateway.down = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            approved = ds.refund_approve(refund=refund, actor=merchant, now=wf.now)
        payment = RefundPayment.objects.get(refund=refund)
        assert approved.state == "refunded"  # the buyer's refund stands
        assert payment.gateway_reference == ""  # and waits, recorded, for the retry

        assert ds.refund_payments_send_unsent(now=wf.now) == 0  # within the grace period
        FlakyGateway.down = False
        sent = ds.refund_payments_send_unsent(now=wf.now + timedelta(minutes=10))
    finally:
        payments.gateway.cache_clear()

    payment.refresh_from_db()
    assert sent == 1
    assert payment.gateway_reference.startswith("REF-")
    assert [c[0] for c in RecordingGateway.calls if c[0] == "refund"] == ["refund"]

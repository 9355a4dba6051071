"""A retried refund approval with the same Idempotency-Key moves the money once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from core.models import AuditEntry
from disputes.models import RefundPayment, RefundRequest

APPROVE = "/api/v1/refunds/{}/approve/"


@pytest.mark.django_db
def test_a_repeated_approval_replays_the_first_answer_and_pays_once(wf, merchant, client_for):
    refund = wf.refund("requested")
    client = client_for(merchant)

    first = client.post(APPROVE.format(refund.pk), HTTP_IDEMPOTENCY_KEY="approve-1")
    second = client.post(APPROVE.format(refund.pk), HTTP_IDEMPOTENCY_KEY="approve-1")

    assert first.status_code == 200
    assert first.data["state"] == "refunded"
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert RefundPayment.objects.filter(refund=refund).count() == 1
    assert AuditEntry.objects.filter(target_id=refund.pk, action="approve").count() == 1


@pytest.mark.django_db
def test_without_a_key_a_repeat_is_refused_by_the_state(wf, merchant, client_for):
    refund = wf.refund("requested")
    client = client_for(merchant)

    assert client.post(APPROVE.format(refund.pk)).status_code == 200
    again = client.post(APPROVE.format(refund.pk))

    assert again.status_code == 409
    assert RefundPayment.objects.filter(refund=refund).count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_request_is_refused_with_422(wf, merchant, client_for):
    refund = wf.refund("requested")
    other = wf.refund("requested")
    client = client_for(merchant)
    assert client.post(APPROVE.format(refund.pk), HTTP_IDEMPOTENCY_KEY="k").status_code == 200

    other_body = client.post(
        APPROVE.format(refund.pk), {"note": "again"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    other_path = client.post(APPROVE.format(other.pk), HTTP_IDEMPOTENCY_KEY="k")

    assert other_body.status_code == 422
    assert other_body.data["code"] == "idempotency_key_reused"
    assert other_path.status_code == 422
    other.refresh_from_db()
    assert other.state == "requested"
    assert RefundPayment.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_action_is_replayed_as_refused(wf, buyer, client_for):
    refund = wf.refund("requested")
    client = client_for(buyer)  # a buyer may never approve

    first = client.post(APPROVE.format(refund.pk), HTTP_IDEMPOTENCY_KEY="b-1")
    second = client.post(APPROVE.format(refund.pk), HTTP_IDEMPOTENCY_KEY="b-1")

    assert first.status_code == second.status_code == 403
    assert second.json() == first.json()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_with_one_key_pay_once(wf, merchant, client_for):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises writers, so nothing runs concurrently.")
    refund = wf.refund("requested")
    clients = [client_for(merchant), client_for(merchant)]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def approve(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(
                APPROVE.format(refund.pk), HTTP_IDEMPOTENCY_KEY="same-moment"
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [r.status_code for r in responses] == [200, 200]
    assert responses[0].json() == responses[1].json()
    assert sum(r.has_header("Idempotent-Replayed") for r in responses) == 1
    assert RefundPayment.objects.filter(refund=refund).count() == 1
    assert AuditEntry.objects.filter(target_id=refund.pk, action="approve").count() == 1


def _filing(order) -> dict:
    return {
        "order": order.pk,
        "kind": "refund_only",
        "reason": "quality_problem",
        "amount": str(order.total),
        "description": "The seam came apart.",
    }


@pytest.mark.django_db
def test_a_filing_answers_as_the_requests_detail_reads_in_few_statements(
    wf, buyer, client_for, django_assert_num_queries
):
    first, order = wf.order("shipped"), wf.order("shipped")
    client = client_for(buyer)
    client.post("/api/v1/refunds/", _filing(first), HTTP_IDEMPOTENCY_KEY="file-0")  # warms caches

    # the token with the shop; the transaction (a savepoint inside the test's); the key's INSERT
    # in its savepoint; the action's savepoint; the order's id; in the service's savepoint the
    # order locked, its open requests, the request, its audit entry, the goods the notice
    # names, the shop's staff, their notice and its e-mail in the outbox; the key's answer
    with django_assert_num_queries(20):
        filed = client.post("/api/v1/refunds/", _filing(order), HTTP_IDEMPOTENCY_KEY="file-1")

    assert filed.status_code == 201
    assert client.get(f"/api/v1/refunds/{filed.data['id']}/").content == filed.content


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_filings_on_one_order_make_one_request(wf, buyer, client_for):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises writers, so nothing runs concurrently.")
    order = wf.order("shipped")
    clients = [client_for(buyer), client_for(buyer)]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def file(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(
                "/api/v1/refunds/", _filing(order), HTTP_IDEMPOTENCY_KEY=f"file-{index}"
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses) == [201, 409]
    assert RefundRequest.objects.filter(order=order).count() == 1

"""The deadline sweep writes a batch's moves together: one UPDATE per transition, whatever the
number of rows, and each row still goes through the state machine and its audit."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry, Notification
from disputes.deadlines import enforce_deadlines
from disputes.models import RefundRequest


def _sweep_statements(wf, rejected: int) -> tuple[int, list[RefundRequest]]:
    refunds = [wf.refund("rejected") for _ in range(rejected)]
    with CaptureQueriesContext(connection) as queries:
        done = enforce_deadlines(now=wf.later(days=8))
    assert done["refunds_auto_closed"] == rejected
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    return len(queries.captured_queries), updates, refunds


def test_closing_more_overdue_refunds_takes_no_more_statements(wf):
    # when
    few, few_updates, _ = _sweep_statements(wf, 2)
    many, many_updates, refunds = _sweep_statements(wf, 7)

    # then
    assert many == few
    assert len(many_updates) == len(few_updates) == 1
    # and every refund moved through the state machine, with its audit entry and notice
    refund_type = ContentType.objects.get_for_model(RefundRequest)
    for refund in refunds:
        refund.refresh_from_db()
        assert refund.state == "closed"
        assert refund.deadline is None and refund.closed_at is not None
        entries = AuditEntry.objects.filter(
            target_type=refund_type, target_id=refund.pk, action="auto_close"
        )
        assert list(entries.values_list("from_state", "to_state", "actor_role")) == [
            ("rejected", "closed", "system")
        ]
        assert (
            Notification.objects.filter(
                target_type=refund_type, target_id=refund.pk, kind="refund_closed"
            ).count()
            == 1
        )


def test_a_batch_that_fails_writes_nothing_of_its_moves(wf, monkeypatch):
    # given two overdue refunds, the second of which fails after the first moved in memory
    first, second = wf.refund("rejected"), wf.refund("rejected")
    from core.errors import CoreErrorCode, DomainError
    from disputes import services

    real = services.refund_auto_close

    def close_or_fail(*, refund, now):
        if refund.pk == second.pk:
            raise DomainError(
                CoreErrorCode.TRANSITION_NOT_ALLOWED, {"state": "rejected"}, state="rejected"
            )
        real(refund=refund, now=now)

    monkeypatch.setattr(services, "refund_auto_close", close_or_fail)

    # when
    done = enforce_deadlines(now=wf.now + timedelta(days=8))

    # then the batch was redone row by row: the first closed once, the second left as it was
    assert done["refunds_auto_closed"] == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("closed", "rejected")
    refund_type = ContentType.objects.get_for_model(RefundRequest)
    assert (
        AuditEntry.objects.filter(
            target_type=refund_type, target_id=first.pk, action="auto_close"
        ).count()
        == 1
    )
    assert not AuditEntry.objects.filter(
        target_type=refund_type, target_id=second.pk, action="auto_close"
    ).exists()

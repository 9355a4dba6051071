"""A due row whose automatic move fails does not hold up the rest of its batch."""

from __future__ import annotations

from datetime import timedelta

from core.errors import CoreErrorCode, DomainError
from core.models import AuditEntry, Notification
from disputes import services
from disputes.deadlines import enforce_deadlines
from disputes.models import RefundState


def test_a_failing_row_is_set_aside_and_the_rest_of_the_batch_is_closed(wf, monkeypatch):
    # given five rejected refunds whose buyer stayed silent, one of which cannot be closed
    refunds = [wf.refund("rejected") for _ in range(5)]
    stuck = refunds[2]
    real_close = services.refund_auto_close

    def close_or_fail(*, refund, now):
        if refund.pk == stuck.pk:
            raise DomainError(
                CoreErrorCode.TRANSITION_NOT_ALLOWED, {"state": "rejected"}, state="rejected"
            )
        real_close(refund=refund, now=now)

    monkeypatch.setattr(services, "refund_auto_close", close_or_fail)

    # when the sweep runs past the window, in batches of two
    counts = enforce_deadlines(now=wf.now + timedelta(days=8), batch_size=2)

    # then the other four closed, once each, and the stuck one waits for the next run
    assert counts["refunds_auto_closed"] == 4
    for refund in refunds:
        refund.refresh_from_db()
    assert [r.state for r in refunds] == [
        RefundState.CLOSED,
        RefundState.CLOSED,
        RefundState.REJECTED,
        RefundState.CLOSED,
        RefundState.CLOSED,
    ]
    # and the batch that was redone row by row left one audit entry and one notice per refund
    for refund in refunds:
        entries = AuditEntry.objects.filter(target_id=refund.pk, action="auto_close")
        notices = Notification.objects.filter(target_id=refund.pk, kind="refund_closed")
        assert (entries.count(), notices.count()) == ((0, 0) if refund == stuck else (1, 1))
    monkeypatch.setattr(services, "refund_auto_close", real_close)
    assert enforce_deadlines(now=wf.now + timedelta(days=8))["refunds_auto_closed"] == 1

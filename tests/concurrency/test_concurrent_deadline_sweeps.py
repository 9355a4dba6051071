"""The deadline sweep under concurrency: two sweeps side by side apply each due move exactly
once, and a sweep running while a buyer acts on a due row neither deadlocks nor double-moves."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.db.models import Count

from core.errors import TransitionNotAllowed
from core.models import AuditEntry
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import RefundPayment, RefundRequest, RefundState
from tests.concurrency.race import postgres_only, race

pytestmark = postgres_only

# Past the merchant's 48-hour response window of a shipped order.
PAST_RESPONSE_WINDOW = timedelta(hours=49)


def _auto_approvals(refunds) -> dict[int, int]:
    rows = (
        AuditEntry.objects.filter(
            target_type__model="refundrequest",
            target_id__in=[r.pk for r in refunds],
            action="auto_approve",
        )
        .values("target_id")
        .annotate(n=Count("id"))
    )
    return {row["target_id"]: row["n"] for row in rows}


def _assert_auto_approved_once(refunds) -> None:
    ids = [r.pk for r in refunds]
    assert set(RefundRequest.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        RefundState.REFUNDED
    }
    assert _auto_approvals(refunds) == dict.fromkeys(ids, 1)
    payments = RefundPayment.objects.filter(refund_id__in=ids)
    assert sorted(payments.values_list("refund_id", flat=True)) == sorted(ids)


def test_two_sweeps_at_once_auto_approve_each_due_refund_exactly_once(wf):
    # given 60 requests whose merchant stayed silent past the window
    refunds = [wf.refund("requested") for _ in range(60)]
    due = wf.now + PAST_RESPONSE_WINDOW

    # when two sweeps run at the same moment, in small batches so that they interleave
    sweep = partial(enforce_deadlines, now=due, batch_size=5)
    outcomes = race(sweep, sweep)

    # then neither failed and together they approved each refund once
    assert [o.error for o in outcomes] == [None, None]
    assert sum(o.value["refunds_auto_approved"] for o in outcomes) == 60
    _assert_auto_approved_once(refunds)
    assert enforce_deadlines(now=due)["refunds_auto_approved"] == 0


def test_a_sweep_while_the_buyer_cancels_a_due_refund_gives_one_move_and_no_deadlock(wf, buyer):
    for position in (0, 10, 19):
        # given 20 due requests, one of which the buyer cancels just as the sweep runs
        refunds = [wf.refund("requested") for _ in range(20)]
        target = refunds[position]
        due = wf.now + PAST_RESPONSE_WINDOW

        outcomes = race(
            partial(enforce_deadlines, now=due, batch_size=4),
            partial(ds.refund_cancel, refund=target, actor=buyer, now=due),
        )

        # then the sweep never fails or deadlocks; the buyer either wins or is refused cleanly
        swept, cancelled = outcomes
        assert swept.error is None
        target.refresh_from_db()
        others = [r for r in refunds if r is not target]
        _assert_auto_approved_once(others)
        if cancelled.ok:
            assert target.state == RefundState.CANCELLED
            assert not RefundPayment.objects.filter(refund=target).exists()
            assert _auto_approvals([target]) == {}
            assert swept.value["refunds_auto_approved"] == 19
        else:
            assert isinstance(cancelled.error, TransitionNotAllowed)
            _assert_auto_approved_once([target])
            assert swept.value["refunds_auto_approved"] == 20
        wf.later(hours=50)

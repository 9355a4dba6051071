"""A buyer cancelling while the merchant approves the same refund: one winner, a clear conflict
for the other, and money that moved exactly once or not at all."""

from __future__ import annotations

from functools import partial

from core.errors import TransitionNotAllowed
from core.models import AuditEntry
from disputes import services as ds
from disputes.models import RefundKind, RefundPayment, RefundState
from tests.concurrency.race import one_winner, postgres_only, race

pytestmark = postgres_only

ROUNDS = 5


def test_buyer_cancelling_while_merchant_approves_gives_one_winner(wf, buyer, merchant):
    # given open requests; odd rounds ask for a return that the merchant waives (退款不退货)
    refunds = [
        wf.refund("requested", kind=(RefundKind.REFUND_ONLY, RefundKind.RETURN_AND_REFUND)[i % 2])
        for i in range(ROUNDS)
    ]

    for refund in refunds:
        approve = (
            ds.refund_approve
            if refund.kind == RefundKind.REFUND_ONLY
            else ds.refund_approve_without_return
        )
        # when the buyer cancels and the merchant approves at the same moment
        outcomes = race(
            partial(ds.refund_cancel, refund=refund, actor=buyer, now=wf.now),
            partial(approve, refund=refund, actor=merchant, now=wf.now),
        )

        # then one wins, the other is refused with the domain error, and the state is consistent
        winner, _won = one_winner(outcomes)
        assert isinstance(outcomes[1 - winner].error, TransitionNotAllowed)
        refund.refresh_from_db()
        order = refund.order
        order.refresh_from_db()
        payments = list(RefundPayment.objects.filter(order=order))
        actions = list(
            AuditEntry.objects.filter(target_type__model="refundrequest", target_id=refund.pk)
            .order_by("id")
            .values_list("action", flat=True)
        )
        if winner == 0:
            assert refund.state == RefundState.CANCELLED
            assert payments == []
            assert order.refunded_amount == 0
            assert order.state == "shipped"
            assert actions == ["file", "cancel"]
        else:
            assert refund.state == RefundState.REFUNDED
            assert [p.amount for p in payments] == [refund.amount]
            assert order.refunded_amount == refund.amount
            assert order.state == "refunded"
            assert actions == ["file", approve.__name__.removeprefix("refund_")]

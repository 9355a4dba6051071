"""A negotiation offer answered at its deadline: the buyer accepts it while the sweep closes it.
One of them wins, the other changes nothing, and the buyer is paid at most once."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from core.errors import TransitionNotAllowed
from core.models import AuditEntry
from core.rules import get_rules
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import OfferOutcome, RefundOffer, RefundPayment, RefundRequest, RefundState
from tests.concurrency.race import postgres_only, race

pytestmark = postgres_only


def test_the_buyer_accepting_an_offer_as_the_sweep_closes_it_gives_one_winner_and_one_payment(
    wf, buyer
):
    for position in (0, 5, 9):
        # given 10 offers left unanswered, one of which the buyer accepts at its very deadline
        refunds = [wf.refund("requested") for _ in range(10)]
        for refund in refunds:
            wf.offer(refund, amount=Decimal("20.00"))
        target = refunds[position]
        deadline = wf.now + get_rules().buyer_rejection_window

        # when
        swept, accepted = race(
            partial(enforce_deadlines, now=deadline, batch_size=3),
            partial(ds.refund_accept_offer, refund=target, actor=buyer, now=deadline),
        )

        # then the sweep never fails; the buyer either wins or is refused cleanly
        assert swept.error is None
        target = RefundRequest.objects.get(pk=target.pk)
        offer = RefundOffer.objects.get(refund=target)
        payments = list(
            RefundPayment.objects.filter(refund=target).values_list("amount", flat=True)
        )
        moves = list(
            AuditEntry.objects.filter(
                target_type__model="refundrequest",
                target_id=target.pk,
                action__in=["accept_offer", "auto_close"],
            ).values_list("action", flat=True)
        )
        if accepted.ok:
            assert (target.state, target.amount) == (RefundState.REFUNDED, Decimal("20.00"))
            assert (offer.outcome, payments, moves) == (
                OfferOutcome.ACCEPTED,
                [Decimal("20.00")],
                ["accept_offer"],
            )
            assert swept.value["refunds_auto_closed"] == 9
        else:
            assert isinstance(accepted.error, TransitionNotAllowed)
            assert target.state == RefundState.CLOSED
            assert (offer.outcome, payments, moves) == (OfferOutcome.EXPIRED, [], ["auto_close"])
            assert swept.value["refunds_auto_closed"] == 10
        others = [r.pk for r in refunds if r.pk != target.pk]
        assert set(RefundRequest.objects.filter(pk__in=others).values_list("state", flat=True)) == {
            RefundState.CLOSED
        }
        assert not RefundPayment.objects.filter(refund_id__in=others).exists()
        wf.later(days=8)

"""Negotiation offers (协商方案, SPEC §4): the shop offers less than asked, with or without the
goods back; the buyer accepts (refunded for the offered amount, or returns the goods for it),
declines (as after a rejection: edit or apply for platform intervention), cancels, or lets the
rejection window pass (closed by the sweep). Every offer is kept with how it ended."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.errors import DomainError, TransitionNotAllowed
from core.models import Notification
from core.rules import get_rules
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import (
    OfferOutcome,
    RefundKind,
    RefundOffer,
    RefundPayment,
    RefundReason,
    RefundRequest,
)
from disputes.policies import refund_actions
from merchants.models import ReturnAddress
from tests.domain.conftest import Snapshot


def _refetch(refund) -> RefundRequest:
    return RefundRequest.objects.get(pk=refund.pk)


def _offers(refund) -> list[tuple]:
    return list(
        RefundOffer.objects.filter(refund=refund).values_list(
            "amount", "asked_amount", "return_required", "outcome"
        )
    )


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_an_accepted_offer_refunds_the_offered_amount_once_and_tells_the_shop(wf, merchant):
    # given: ¥100 asked, ¥20 offered, the buyer keeps the goods
    refund = wf.refund("requested")
    offer = wf.offer(refund, amount=Decimal("20.00"), message="A small scratch: ¥20?")
    assert "offer_made" in _kinds(refund.buyer)

    # when
    ds.refund_accept_offer(refund=refund, actor=refund.buyer, now=wf.later(hours=2))

    # then
    refund = _refetch(refund)
    assert (refund.state, refund.amount, refund.deadline) == ("refunded", Decimal("20.00"), None)
    assert [p.amount for p in RefundPayment.objects.filter(refund=refund)] == [Decimal("20.00")]
    assert refund.order.refunded_amount == Decimal("20.00")
    offer.refresh_from_db()
    assert (offer.outcome, offer.answered_at) == (OfferOutcome.ACCEPTED, wf.now)
    assert "offer_accepted" in _kinds(merchant)


def test_an_accepted_offer_that_asks_for_the_goods_refunds_the_offered_amount_on_their_return(
    wf,
):
    # given
    refund = wf.refund("requested", kind=RefundKind.RETURN_AND_REFUND)
    wf.offer(refund, amount=Decimal("60.00"), return_required=True)

    # when
    ds.refund_accept_offer(refund=refund, actor=refund.buyer, now=wf.now)

    # then: the buyer returns the goods for ¥60, and is paid ¥60 when the shop has them
    refund = _refetch(refund)
    assert (refund.state, refund.amount) == ("awaiting_return", Decimal("60.00"))
    assert refund.deadline == wf.now + get_rules().buyer_return_ship_window
    assert not RefundPayment.objects.filter(refund=refund).exists()
    assert refund.return_to_address  # the shop's default return address, copied
    ds.refund_ship_return(
        refund=refund, actor=refund.buyer, courier="sf", tracking_number="SF1", now=wf.now
    )
    ds.refund_confirm_return(refund=refund, actor=wf.merchant, now=wf.now)
    assert [p.amount for p in RefundPayment.objects.filter(refund=refund)] == [Decimal("60.00")]


@pytest.mark.parametrize(
    ("amount", "return_required", "message", "code"),
    [
        (Decimal("100.00"), False, "All of it", "offer_not_less"),
        (Decimal("100.01"), False, "More", "offer_not_less"),
        (Decimal("0"), False, "Nothing", "amount_not_positive"),
        ("20.001", False, "Too exact", "amount_not_a_number"),
        (Decimal("20.00"), False, "   ", "text_required"),
    ],
)
def test_an_offer_not_below_the_amount_asked_or_without_a_message_is_refused_and_changes_nothing(
    wf, amount, return_required, message, code
):
    # given
    refund = wf.refund("requested")
    before = Snapshot.take(refund=refund)

    # when
    with pytest.raises(DomainError) as refused:
        wf.offer(refund, amount=amount, return_required=return_required, message=message)

    # then
    assert refused.value.code == code
    assert Snapshot.take(refund=refund) == before


def test_a_request_for_a_cent_offers_no_offer_and_an_offer_on_it_is_refused(wf, merchant):
    # given a request for ¥0.01: nothing smaller can be offered
    refund = wf.file(wf.order("delivered"), amount=Decimal("0.01"))
    before = Snapshot.take(refund=refund)

    # then the shop is not offered to make one, and one made anyway is refused
    assert refund_actions(refund, merchant, now=wf.now) == ["approve", "reject"]
    with pytest.raises(TransitionNotAllowed) as refused:
        wf.offer(refund, amount=Decimal("0.01"), message="一分钱")
    assert refused.value.code == "nothing_to_offer"
    assert "¥0.01" in refused.value.message
    assert Snapshot.take(refund=refund) == before


def test_an_offer_cannot_ask_for_goods_that_were_never_shipped(wf):
    # given
    refund = wf.file(wf.order("paid"))
    before = Snapshot.take(refund=refund)

    # when
    with pytest.raises(DomainError) as refused:
        wf.offer(refund, amount=Decimal("20.00"), return_required=True)

    # then
    assert (refused.value.code, refused.value.field) == (
        "offer_return_not_shipped",
        "return_required",
    )
    assert Snapshot.take(refund=refund) == before


def test_an_offer_cannot_ask_for_the_goods_back_to_a_shop_without_a_return_address(wf):
    # given
    refund = wf.refund("requested")
    ReturnAddress.objects.filter(shop_id=refund.shop_id).delete()
    before = Snapshot.take(refund=refund)

    # when
    with pytest.raises(DomainError) as refused:
        wf.offer(refund, amount=Decimal("20.00"), return_required=True)

    # then: an offer to keep the goods is still possible
    assert (refused.value.code, refused.value.field) == ("no_return_address", "return_required")
    assert Snapshot.take(refund=refund) == before
    wf.offer(refund, amount=Decimal("20.00"), return_required=False)


def test_a_declined_offer_leaves_the_buyer_to_edit_the_request_and_the_shop_to_offer_again(
    wf, merchant
):
    # given
    refund = wf.refund("requested")
    wf.offer(refund, amount=Decimal("20.00"))

    # when
    ds.refund_decline_offer(refund=refund, actor=refund.buyer, now=wf.later(hours=1))

    # then: rejected, with the buyer's window after a rejection
    refund = _refetch(refund)
    assert refund.state == "rejected"
    assert refund.deadline == wf.now + get_rules().buyer_rejection_window
    assert "offer_declined" in _kinds(merchant)
    ds.refund_revise(
        refund=refund,
        actor=refund.buyer,
        amount=Decimal("80.00"),
        reason=RefundReason.QUALITY_PROBLEM,
        now=wf.later(hours=1),
    )
    wf.offer(_refetch(refund), amount=Decimal("50.00"), at=wf.later(hours=1))
    assert _offers(refund) == [
        (Decimal("20.00"), Decimal("100.00"), False, OfferOutcome.DECLINED),
        (Decimal("50.00"), Decimal("80.00"), False, OfferOutcome.OPEN),
    ]


def test_after_a_declined_offer_the_buyer_may_apply_for_platform_intervention_and_the_shop_answered(
    wf,
):
    # given
    refund = wf.refund("requested")
    wf.offer(refund, amount=Decimal("20.00"))
    ds.refund_decline_offer(refund=refund, actor=refund.buyer, now=wf.now)

    # when
    intervention = wf.escalate(_refetch(refund))
    intervention = wf.merchant_evidence(intervention)

    # then: the offer was the shop answering in time
    assert _refetch(refund).state == "in_intervention"
    assert ds.merchant_cooperated_default(intervention) is True


def test_an_offer_is_not_escalated_before_the_buyer_declines_it(wf):
    # given
    refund = wf.refund("offered")
    before = Snapshot.take(refund=refund)

    # when
    with pytest.raises(DomainError) as refused:
        wf.escalate(refund)

    # then
    assert refused.value.code == "transition_not_allowed"
    assert Snapshot.take(refund=refund) == before


def test_cancelling_the_request_ends_its_open_offer(wf):
    # given
    refund = wf.refund("offered")

    # when
    ds.refund_cancel(refund=refund, actor=refund.buyer, now=wf.now)

    # then
    assert _refetch(refund).state == "cancelled"
    assert [o[3] for o in _offers(refund)] == [OfferOutcome.CANCELLED]


def test_the_sweep_closes_an_offer_the_buyer_left_unanswered_past_the_rejection_window(wf):
    # given
    refund = wf.refund("offered")
    window_ends = wf.now + get_rules().buyer_rejection_window

    # when / then: not a moment before the window ends
    assert enforce_deadlines(now=window_ends - timedelta(seconds=1))["refunds_auto_closed"] == 0
    assert _refetch(refund).state == "offered"
    assert enforce_deadlines(now=window_ends)["refunds_auto_closed"] == 1
    refund = _refetch(refund)
    assert (refund.state, refund.closed_at) == ("closed", window_ends)
    assert RefundOffer.objects.get(refund=refund).outcome == OfferOutcome.EXPIRED
    assert not RefundPayment.objects.filter(refund=refund).exists()


def test_an_offer_is_not_accepted_after_its_window(wf):
    # given
    refund = wf.refund("offered")
    before = Snapshot.take(refund=refund)

    # when
    with pytest.raises(DomainError) as refused:
        ds.refund_accept_offer(
            refund=refund,
            actor=refund.buyer,
            now=wf.now + get_rules().buyer_rejection_window + timedelta(seconds=1),
        )

    # then
    assert refused.value.code == "offer_window_closed"
    assert Snapshot.take(refund=refund) == before

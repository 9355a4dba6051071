"""Where a return goes: approving one (the shop, the sweep, a ruling) copies the shop's default
return address onto the request; without an address a return cannot be approved; the buyer
ships with a courier and a tracking number."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.errors import InvalidInput, TransitionNotAllowed
from core.models import Notification
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import RefundKind, RefundRequest, RefundState, RulingOutcome
from disputes.policies import may_act_on_refund, refund_actions
from disputes.selectors import refunds_visible_to
from merchants import services as ms
from merchants.models import ReturnAddress
from tests.domain.conftest import Snapshot


def _without_addresses(shop):
    ReturnAddress.objects.filter(shop=shop).delete()


def _copied(refund) -> tuple:
    refund.refresh_from_db()
    return (
        refund.return_to_name,
        refund.return_to_phone,
        refund.return_to_region,
        refund.return_to_address,
    )


def test_approving_a_return_copies_the_shops_default_address(wf, merchant):
    ms.return_address_add(
        shop=wf.product.shop,
        name="华南仓",
        phone="020-66668888",
        region="广东省 广州市",
        address="大源南路 12 号",
        make_default=True,
    )
    refund = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)

    refund = ds.refund_approve(refund=refund, actor=merchant, now=wf.now)

    assert refund.state == RefundState.AWAITING_RETURN
    assert _copied(refund) == ("华南仓", "020-66668888", "广东省 广州市", "大源南路 12 号")


def test_a_shop_without_a_return_address_cannot_approve_a_return_and_nothing_changes(wf, merchant):
    _without_addresses(wf.product.shop)
    refund = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)
    before = Snapshot.take(refund=refund)

    with pytest.raises(TransitionNotAllowed) as refused:
        ds.refund_approve(refund=refund, actor=merchant, now=wf.now)

    assert refused.value.code == "no_return_address"
    assert "天 Flagship" in refused.value.message
    assert Snapshot.take(refund=refund) == before


def test_a_shop_without_a_return_address_may_still_refund_without_a_return(wf, merchant):
    _without_addresses(wf.product.shop)
    refund_only = wf.file(wf.order("delivered"))
    kept = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)

    assert ds.refund_approve(refund=refund_only, actor=merchant, now=wf.now).state == "refunded"
    refunded = ds.refund_approve_without_return(refund=kept, actor=merchant, now=wf.now)
    assert refunded.state == "refunded"
    assert _copied(refunded) == ("", "", "", "")


def test_the_copy_stays_when_the_shop_edits_or_deletes_its_address_later(wf):
    refund = wf.refund("awaiting_return")
    copied = _copied(refund)
    address = ReturnAddress.objects.get(shop=refund.shop, is_default=True)

    ms.return_address_update(
        return_address=address, name="新人", phone="13900000000", region="上海市", address="新路"
    )
    assert _copied(refund) == copied
    ms.return_address_delete(return_address=address)
    assert _copied(refund) == copied
    assert copied[3] == "8 Cangqian Street, returns depot"


def test_a_silent_shop_with_an_address_sends_the_return_there(wf, hours):
    refund = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)

    enforce_deadlines(now=refund.deadline + hours(1))

    refund.refresh_from_db()
    assert (refund.state, refund.auto_approved) == (RefundState.AWAITING_RETURN, True)
    assert refund.return_to_address == "8 Cangqian Street, returns depot"


def test_a_silent_shop_without_an_address_refunds_and_the_buyer_keeps_the_goods(wf, hours):
    # The shop neither answered nor gave anywhere to send the goods: the buyer is not left
    # holding a parcel with no address until the return window closes the request.
    _without_addresses(wf.product.shop)
    refund = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)

    enforce_deadlines(now=refund.deadline + hours(1))

    refund.refresh_from_db()
    assert (refund.state, refund.auto_approved) == (RefundState.REFUNDED, True)
    assert refund.payment.amount == refund.amount


def test_a_ruling_that_orders_the_return_copies_the_address(wf):
    intervention = wf.intervention("under_review")

    wf.rule_against_merchant(intervention, return_required=True)

    refund = RefundRequest.objects.get(pk=intervention.refund_id)
    assert (refund.state, refund.platform_ordered_return) == (RefundState.AWAITING_RETURN, True)
    assert refund.return_to_name == "Wang Li"


def test_a_ruling_cannot_order_a_return_to_a_shop_without_an_address(wf):
    intervention = wf.intervention("under_review")
    _without_addresses(intervention.shop)
    before = Snapshot.take(refund=intervention.refund, intervention=intervention)

    with pytest.raises(TransitionNotAllowed) as refused:
        wf.rule_against_merchant(intervention, return_required=True)

    assert (refused.value.code, refused.value.field) == ("no_return_address", "return_required")
    assert Snapshot.take(refund=intervention.refund, intervention=intervention) == before
    # the same ruling without the return stands
    ruling = wf.rule_against_merchant(intervention, outcome=RulingOutcome.BUYER_FULL_REFUND)
    assert ruling.intervention.refund.state == RefundState.REFUNDED


@pytest.mark.parametrize("courier", ["", "dhl", None])
def test_shipping_a_return_needs_a_courier_from_the_list(wf, courier):
    refund = wf.refund("awaiting_return")
    before = Snapshot.take(refund=refund)

    with pytest.raises(InvalidInput) as refused:
        ds.refund_ship_return(
            refund=refund, actor=refund.buyer, courier=courier, tracking_number="SF1", now=wf.now
        )

    assert (refused.value.code, refused.value.field) == ("courier_choice", "courier")
    assert Snapshot.take(refund=refund) == before


def test_the_buyer_ships_the_return_with_a_courier_and_the_shop_is_told_which(wf, merchant):
    refund = wf.refund("awaiting_return")

    refund = ds.refund_ship_return(
        refund=refund, actor=refund.buyer, courier="sf", tracking_number=" SF123 ", now=wf.now
    )

    refund.refresh_from_db()
    assert (refund.state, refund.return_courier, refund.return_tracking_number) == (
        RefundState.RETURN_SHIPPED,
        "sf",
        "SF123",
    )
    notice = Notification.objects.filter(recipient=merchant).order_by("-id").first()
    with translation.override("en"):
        assert "SF Express SF123" in notice.text
    with translation.override("zh-hans"):
        assert (
            f"通过顺丰速运寄回「Jacket」（订单 {refund.order.number}），物流单号 SF123"
            in notice.text
        )


def test_a_shop_without_a_return_address_is_not_offered_to_approve_a_return(wf, merchant):
    # given a return request of a shop with no address, and a refund-only one
    _without_addresses(wf.product.shop)
    kept = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)
    refund_only = wf.file(wf.order("delivered"))

    # then the shop may refund without the return, not approve it, and is told why
    assert refund_actions(kept, merchant, now=wf.now) == [
        "approve_without_return",
        "reject",
        "offer",
    ]
    verdict = may_act_on_refund(kept, merchant, "approve", now=wf.now)
    assert verdict.error.code == "no_return_address"
    assert "approve" in refund_actions(refund_only, merchant, now=wf.now)


def test_the_refund_list_tells_which_shop_has_a_return_address_in_one_query(
    wf, merchant, django_assert_num_queries
):
    # given return requests of a shop that then removes its addresses
    for _ in range(3):
        wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)
    _without_addresses(wf.product.shop)

    # when the list is read with the actions of each row
    with django_assert_num_queries(1):
        rows = list(refunds_visible_to(merchant).order_by("pk"))
        actions = [refund_actions(refund, merchant, now=wf.now) for refund in rows]

    # then no row offers to approve the return
    assert actions == [["approve_without_return", "reject", "offer"]] * 3

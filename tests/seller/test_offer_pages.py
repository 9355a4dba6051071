"""The seller's request page offers a negotiation offer beside approve and reject, keeps what was
typed when the service refuses it, and lists every offer made."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import services as ds
from disputes.models import OfferOutcome, RefundOffer, RefundState


def test_the_shop_makes_an_offer_from_the_request_page(wf, merchant_client):
    # given
    refund = wf.refund("requested")
    page = merchant_client.get(reverse("seller-refund", args=[refund.pk])).content.decode()
    assert "提出协商方案" in page
    assert 'max="99.99"' in page

    # when
    response = merchant_client.post(
        reverse("seller-refund-offer", args=[refund.pk]),
        {"amount": "20", "return_required": "on", "message": "退货后退 20 元可以吗？"},
        follow=True,
    )

    # then
    refund.refresh_from_db()
    assert refund.state == RefundState.OFFERED
    offer = RefundOffer.objects.get(refund=refund)
    assert (offer.amount, offer.return_required, offer.outcome) == (
        Decimal("20.00"),
        True,
        OfferOutcome.OPEN,
    )
    page = response.content.decode()
    assert "协商方案已发送给买家。" in page
    assert "待买家确认方案" in page
    assert "退货后退 20 元可以吗？" in page
    assert "提出协商方案" not in page  # no second offer while this one is open


def test_an_offer_of_the_whole_amount_is_refused_beside_the_field_and_kept(wf, merchant_client):
    # given
    refund = wf.refund("requested")

    # when
    response = merchant_client.post(
        reverse("seller-refund-offer", args=[refund.pk]),
        {"amount": "100.00", "message": "全部退吧"},
    )

    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert "协商方案的金额须低于申请的 ¥100.00；如需全额退款，请同意退款。" in page
    assert "全部退吧" in page
    assert not RefundOffer.objects.exists()


def test_an_offer_on_a_request_the_shop_already_answered_is_a_409(wf, merchant_client):
    refund = wf.refund("rejected")

    response = merchant_client.post(
        reverse("seller-refund-offer", args=[refund.pk]), {"amount": "20", "message": "x"}
    )

    assert response.status_code == 409
    assert not RefundOffer.objects.exists()


def test_the_request_page_lists_past_offers_with_how_they_ended(wf, merchant_client):
    # given
    refund = wf.refund("requested")
    wf.offer(refund, amount=Decimal("30.00"), message="Thirty?")
    ds.refund_decline_offer(refund=refund, actor=refund.buyer, now=wf.now)

    # when
    page = merchant_client.get(reverse("seller-refund", args=[refund.pk])).content.decode()

    # then
    assert 'id="offers"' in page
    assert "Thirty?" in page
    assert "买家已拒绝" in page


def _page_queries(client, refund) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("seller-refund", args=[refund.pk]))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_request_page_runs_the_same_queries_for_1_and_50_offers(wf, merchant_client):
    # given
    one, fifty = wf.refund("requested"), wf.refund("requested")
    for refund, count in ((one, 1), (fifty, 50)):
        RefundOffer.objects.bulk_create(
            RefundOffer(
                refund=refund,
                made_by=wf.merchant,
                amount=Decimal("1.00") + n,
                asked_amount=refund.amount,
                return_required=False,
                message=f"Offer {n}",
                outcome=OfferOutcome.DECLINED,
            )
            for n in range(count)
        )

    # when
    small, small_page = _page_queries(merchant_client, one)
    big, big_page = _page_queries(merchant_client, fifty)

    # then
    assert (small_page.count('class="offer"'), big_page.count('class="offer"')) == (1, 50)
    assert small == big

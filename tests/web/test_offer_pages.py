"""The buyer's request page shows the shop's open offer (amount, goods back or not, message,
deadline) with accept and decline, and every past offer."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes.models import OfferOutcome, RefundOffer, RefundPayment, RefundState


def _page(client, refund) -> str:
    response = client.get(reverse("refund-detail", args=[refund.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_buyer_sees_the_open_offer_and_accepts_it(now_wf, buyer_client):
    # given
    refund = now_wf.refund("requested")
    now_wf.offer(refund, amount=Decimal("20.00"), message="Small scratch, keep it")

    # when
    page = _page(buyer_client, refund)
    answer = buyer_client.post(reverse("refund-accept-offer", args=[refund.pk]), follow=True)

    # then: the offer as it reads, then 退款成功 for the offered amount
    assert "商家的协商方案" in page
    assert "¥20.00" in page
    assert "无需退货" in page
    assert "Small scratch, keep it" in page
    assert "剩余" in page  # the deadline to answer
    assert "同意方案" in page
    assert "拒绝方案" in page
    refund.refresh_from_db()
    assert (refund.state, refund.amount) == (RefundState.REFUNDED, Decimal("20.00"))
    assert RefundPayment.objects.filter(refund=refund).count() == 1
    after = answer.content.decode()
    assert "您已同意商家的协商方案。" in after
    assert "退款成功" in after
    assert "已退款 ¥20.00 给您。" in after
    assert "同意方案" not in after


def test_the_buyer_declines_an_offer_and_may_then_apply_for_intervention(now_wf, buyer_client):
    # given
    refund = now_wf.refund("requested")
    now_wf.offer(refund, amount=Decimal("20.00"), return_required=True)

    # when
    answer = buyer_client.post(reverse("refund-decline-offer", args=[refund.pk]), follow=True)

    # then
    page = answer.content.decode()
    refund.refresh_from_db()
    assert refund.state == RefundState.REJECTED
    assert "您已拒绝商家的协商方案，可修改申请或申请平台介入。" in page
    assert "申请平台介入" in page
    assert "买家已拒绝" in page  # the offer, in the past offers


def test_an_offer_answered_twice_is_accepted_once(now_wf, buyer_client):
    # given
    refund = now_wf.refund("requested")
    now_wf.offer(refund, amount=Decimal("20.00"))
    url = reverse("refund-accept-offer", args=[refund.pk])

    # when
    buyer_client.post(url, {"form_token": "t-1"})
    again = buyer_client.post(url, {"form_token": "t-1"})

    # then
    assert again.status_code == 302
    assert RefundPayment.objects.filter(refund=refund).count() == 1


def test_the_page_in_english_names_the_offer_in_the_settled_words(now_wf, buyer):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en")
    client.force_login(buyer)
    refund = now_wf.refund("requested")
    now_wf.offer(refund, amount=Decimal("20.00"), return_required=True)

    page = _page(client, refund)

    assert "Offer from the shop" in page
    assert "Send them back to the shop" in page
    assert "Accept offer" in page
    assert "Decline offer" in page


def test_the_request_page_runs_the_same_queries_for_1_and_50_offers(now_wf, buyer_client):
    # given
    one, fifty = now_wf.refund("requested"), now_wf.refund("requested")
    for refund, count in ((one, 1), (fifty, 50)):
        RefundOffer.objects.bulk_create(
            RefundOffer(
                refund=refund,
                made_by=now_wf.merchant,
                amount=Decimal("1.00") + n,
                asked_amount=refund.amount,
                return_required=bool(n % 2),
                message=f"Offer {n}",
                outcome=OfferOutcome.DECLINED,
            )
            for n in range(count)
        )

    # when
    with CaptureQueriesContext(connection) as small:
        small_page = _page(buyer_client, one)
    with CaptureQueriesContext(connection) as big:
        big_page = _page(buyer_client, fifty)

    # then
    assert (small_page.count('class="offer"'), big_page.count('class="offer"')) == (1, 50)
    assert len(small) == len(big)

"""The shop's moves that pay the buyer ask first: the request page's button opens a page that
says the amount and what follows, and only that page's button pays (no JavaScript needed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from disputes.models import RefundPayment, RefundState
from tests.seller.conftest import client_for


def _refund_for(wf, action):
    if action == "approve":
        return wf.refund("requested")
    if action == "approve_without_return":
        return wf.file(wf.order("delivered"), kind="return_and_refund")
    if action == "confirm_return":
        return wf.refund("return_shipped")
    return wf.intervention("under_review").refund  # concede


QUESTIONS = {
    "approve": "确认退款 ¥100.00？",
    "approve_without_return": "确认退款 ¥100.00（不退货）？",
    "confirm_return": "已收到退货，确认退款 ¥100.00？",
    "concede": "确认全额退款 ¥100.00？",
}
URLS = {
    "approve": "seller-refund-approve",
    "approve_without_return": "seller-refund-approve-without-return",
    "confirm_return": "seller-refund-confirm-return",
    "concede": "seller-refund-concede",
}


@pytest.mark.parametrize("action", QUESTIONS)
def test_a_money_move_asks_first_with_the_amount_and_pays_only_when_confirmed(
    wf, merchant_client, action
):
    # given a request on which the shop may make the move
    refund = _refund_for(wf, action)
    url = reverse(URLS[action], args=[refund.pk])

    # when the shop presses the move's button
    asked = merchant_client.get(url)

    # then it reads the amount and what follows, and nothing was paid yet
    page = asked.content.decode()
    assert asked.status_code == 200
    assert QUESTIONS[action] in page
    assert "退款将原路退回买家" in page
    refund.refresh_from_db()
    assert refund.state != RefundState.REFUNDED
    assert not RefundPayment.objects.filter(refund=refund).exists()

    # when it confirms, the buyer is refunded
    confirmed = merchant_client.post(url)
    assert confirmed["Location"] == reverse("seller-refund", args=[refund.pk])
    refund.refresh_from_db()
    assert refund.state == RefundState.REFUNDED


def test_the_request_page_button_opens_the_confirmation(wf, merchant_client):
    refund = wf.refund("requested")

    page = merchant_client.get(reverse("seller-refund", args=[refund.pk])).content.decode()

    url = reverse("seller-refund-approve", args=[refund.pk])
    assert f'<form method="get" action="{url}">' in page


def test_refund_only_says_the_request_then_completes(wf, merchant_client):
    refund = wf.refund("requested")

    page = merchant_client.get(reverse("seller-refund-approve", args=[refund.pk])).content
    assert "退款将原路退回买家，申请随即完成。" in page.decode()


def test_approving_a_return_asks_whether_to_approve_the_return_not_to_refund(wf, merchant_client):
    refund = wf.file(wf.order("delivered"), kind="return_and_refund")

    page = merchant_client.get(reverse("seller-refund-approve", args=[refund.pk])).content.decode()

    assert "确认同意退货？" in page
    assert "确认收到退货后再退款 ¥100.00" in page
    assert "确认退款 ¥100.00？" not in page


def test_a_move_no_longer_open_is_not_asked_but_explained(wf, merchant_client):
    refund = wf.refund("refunded")

    response = merchant_client.get(reverse("seller-refund-approve", args=[refund.pk]))

    assert response["Location"] == reverse("seller-refund", args=[refund.pk])
    page = merchant_client.get(response["Location"]).content.decode()
    assert "确认退款" not in page
    assert 'class="message error"' in page


def test_another_shops_request_has_no_confirmation(wf, rival):
    refund = wf.refund("requested")

    response = client_for(rival).get(reverse("seller-refund-approve", args=[refund.pk]))

    assert response.status_code == 404


def test_the_confirmation_in_english(wf, merchant):
    refund = wf.refund("requested")

    page = client_for(merchant, "en").get(reverse("seller-refund-approve", args=[refund.pk]))

    text = page.content.decode()
    assert "Refund ¥100.00?" in text
    assert "The refund goes back to the buyer the way they paid" in text


def test_once_the_shop_approves_a_return_both_timelines_say_it_agreed_to_the_return(
    wf, merchant_client, buyer
):
    refund = wf.file(wf.order("delivered"), kind="return_and_refund")

    merchant_client.post(reverse("seller-refund-approve", args=[refund.pk]))

    seller_page = merchant_client.get(reverse("seller-refund", args=[refund.pk])).content
    buyer_page = client_for(buyer).get(reverse("refund-detail", args=[refund.pk])).content
    for page in (seller_page.decode(), buyer_page.decode()):
        assert "商家同意退货" in page
        assert "商家同意退款" not in page

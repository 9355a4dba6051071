"""A negotiation offer in the browser: the shop offers ¥20 on a ¥60 request from its request page,
the buyer reads the offer on 售后详情 and accepts it, and is refunded ¥20 — in Chinese on a
phone, in English on a desktop, and once with JavaScript off."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from disputes import services as ds
from disputes.models import RefundOffer, RefundPayment, RefundRequest
from orders.services import order_pay, order_place, order_ship
from tests import factories
from tests.browser.conftest import ACCEPT_LANGUAGE, DESKTOP, PHONE

WORDS = {
    "zh-hans": {
        "make_offer": "提出协商方案",
        "send": "发送方案",
        "offered": "待买家确认方案",
        "sent": "协商方案已发送给买家。",
        "their_offer": "商家的协商方案",
        "keep": "无需退货",
        "accept": "同意方案",
        "refunded": "退款成功",
        "refunded_amount": "已退款 ¥20.00 给您。",
        "time_left": re.compile(r"剩余 \d+ 天 \d+ 小时"),
    },
    "en": {
        "make_offer": "Make an offer",
        "send": "Send offer",
        "offered": "Offer from the shop",
        "sent": "Your offer was sent to the buyer.",
        "their_offer": "The shop's offer",
        "keep": "You keep them",
        "accept": "Accept offer",
        "refunded": "Refunded",
        "refunded_amount": "¥20.00 refunded to you.",
        "time_left": re.compile(r"\d+ d \d+ h left"),
    },
}


@pytest.fixture
def request_for_60(transactional_db):
    """A shipped ¥60 order and the buyer's request for all of it."""
    shop = factories.ShopFactory(name="淘宝店 · 日用小铺")
    merchant = factories.make_merchant(shop=shop, username="taobao2")
    product = factories.ProductFactory(shop=shop, title="保温杯 500ml", price=Decimal("60.00"))
    buyer = factories.UserFactory(username="shopper")
    order = order_place(buyer=buyer, product=product, quantity=1)
    order_pay(order=order, actor=buyer)
    order_ship(order=order, actor=merchant, tracking_number="SF60")
    return ds.refund_file(
        buyer=buyer,
        order=order,
        kind="refund_only",
        reason="quality_problem",
        amount=Decimal("60.00"),
        description="杯盖有裂纹。",
    )


def _signed_in(browser, live_server, username: str, language: str, viewport, *, javascript=True):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        locale="zh-CN" if language == "zh-hans" else "en-US",
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE[language]},
        timezone_id="Asia/Shanghai",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pass-1234")
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    return page


def offer_and_accept(browser, live_server, shoot, refund, language, viewport, *, javascript=True):
    words = WORDS[language]
    prefix = f"{language}-offer{'' if javascript else '-nojs'}-"

    # the shop offers ¥20 and lets the buyer keep the goods
    shop = _signed_in(browser, live_server, "taobao2", language, viewport, javascript=javascript)
    shop.goto(f"/seller/refunds/{refund.pk}/")
    assert shop.get_by_text(words["make_offer"]).is_visible()
    shop.locator("#id_amount").fill("20")
    shop.locator("#id_message").fill("杯盖可以单独补发，退您 20 元可以吗？")
    shoot(shop, prefix + "seller-form")
    shop.get_by_role("button", name=words["send"]).click()
    assert shop.get_by_text(words["sent"]).is_visible()
    assert shop.get_by_text(words["offered"]).first.is_visible()
    shoot(shop, prefix + "seller-sent")
    shop.context.close()

    # the buyer reads the offer and accepts it
    buyer = _signed_in(browser, live_server, "shopper", language, viewport, javascript=javascript)
    buyer.goto(f"/after-sales/{refund.pk}/")
    offer = buyer.locator("#open-offer")
    assert offer.get_by_text(words["their_offer"]).is_visible()
    assert offer.get_by_text("¥20.00").is_visible()
    assert offer.get_by_text(words["keep"]).is_visible()
    assert offer.get_by_text("杯盖可以单独补发，退您 20 元可以吗？").is_visible()
    assert words["time_left"].search(offer.inner_text())
    shoot(buyer, prefix + "buyer-offer")
    buyer.get_by_role("button", name=words["accept"]).click()
    assert buyer.locator(".state-big").inner_text() == words["refunded"]
    assert buyer.get_by_text(words["refunded_amount"]).is_visible()
    assert buyer.locator("#open-offer").count() == 0
    shoot(buyer, prefix + "buyer-refunded")
    buyer.context.close()

    refund = RefundRequest.objects.get(pk=refund.pk)
    assert (refund.state, refund.amount) == ("refunded", Decimal("20.00"))
    assert [p.amount for p in RefundPayment.objects.filter(refund=refund)] == [Decimal("20.00")]
    assert RefundOffer.objects.get(refund=refund).outcome == "accepted"


def test_a_shop_offers_20_on_a_60_request_and_the_buyer_accepts_in_chinese_on_a_phone(
    browser, live_server, shoot, request_for_60
):
    offer_and_accept(browser, live_server, shoot, request_for_60, "zh-hans", PHONE)


def test_a_shop_offers_20_on_a_60_request_and_the_buyer_accepts_in_english_on_a_desktop(
    browser, live_server, shoot, request_for_60
):
    offer_and_accept(browser, live_server, shoot, request_for_60, "en", DESKTOP)


def test_the_offer_is_made_and_accepted_without_javascript(
    browser, live_server, shoot, request_for_60
):
    offer_and_accept(
        browser, live_server, shoot, request_for_60, "zh-hans", PHONE, javascript=False
    )

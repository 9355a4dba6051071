"""The messages page in chromium: each notice shows the goods' picture, names the goods and the
order, says what to do and by when, and its link opens the reader's own page — a buyer in
zh-hans on a phone, a shop in en on a desktop."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.pictures import t_shirt
from disputes import services as ds
from disputes.models import RefundReason
from merchants.services import product_create
from orders.services import order_pay, order_place, order_ship
from tests import factories
from tests.browser.conftest import PHONE

PASSWORD = "pass-1234"  # the factories' password


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/")


def _pictures_loaded(page) -> list[int]:
    page.evaluate(
        "Promise.all([...document.querySelectorAll('img.notice-picture')].map(i => i.complete"
        " || new Promise(done => { i.onload = i.onerror = done; })))"
    )
    return page.eval_on_selector_all("img.notice-picture", "imgs => imgs.map(i => i.naturalWidth)")


@pytest.fixture
def rejected(shop, merchant):
    """A tee whose request the shop rejected, after the buyer and the shop wrote to each other."""
    tee = product_create(
        shop=shop,
        title="Cotton tee",
        price=Decimal("59.00"),
        images=[t_shirt((200, 60, 60), "tee.jpg")],
    )
    buyer = factories.UserFactory(username="shopper")
    order = order_place(buyer=buyer, product=tee, quantity=1)
    order_pay(order=order, actor=buyer)
    order_ship(order=order, actor=merchant, tracking_number="SF1")
    refund = ds.refund_file(
        buyer=buyer,
        order=order,
        kind="refund_only",
        reason=RefundReason.QUALITY_PROBLEM,
        amount=Decimal("59.00"),
        description="A seam came open.",
    )
    ds.refund_message_write(refund=refund, actor=buyer, text="Is a photo enough?")
    ds.refund_message_write(refund=refund, actor=merchant, text="Please send one more.")
    ds.refund_reject(refund=refund, actor=merchant, reason="The seam is intact.")
    return refund, order, buyer


def test_a_buyer_on_a_phone_reads_what_to_do_and_opens_the_request_from_a_notice(
    page, shoot, rejected
):
    refund, order, buyer = rejected
    page.set_viewport_size(PHONE)
    _log_in(page, buyer)

    page.goto("/notifications/")

    notices = page.locator(".notifications > li")
    assert notices.count() == 2
    newest = notices.first.inner_text()
    assert (
        f"商家已拒绝您对「Cotton tee」（订单 {order.number}）的退款申请：“The seam is intact.”"
        in (newest)
    )
    assert "前修改申请或申请平台介入，逾期退款关闭。" in newest
    assert f"商家就您对「Cotton tee」（订单 {order.number}）的售后申请给您留言了" in (
        notices.nth(1).inner_text()
    )
    assert _pictures_loaded(page) == [360, 360]
    box = page.locator("img.notice-picture").first.bounding_box()
    assert box["width"] == box["height"] == 56
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "zh-hans-messages-with-goods")

    notices.first.get_by_role("link", name="查看").click()
    page.wait_for_url(f"**/after-sales/{refund.pk}/")
    assert order.number in page.locator("main").inner_text()
    assert (
        page.get_by_role("link", name="申请平台介入").count()
        + page.get_by_role("button", name="申请平台介入").count()
        >= 1
    )


@pytest.mark.parametrize("page_language", ["en"])
def test_a_shop_on_a_desktop_opens_its_request_page_from_a_notice(page, shoot, merchant, rejected):
    refund, order, _buyer = rejected
    _log_in(page, merchant)

    page.goto("/notifications/")

    notices = page.locator(".notifications > li")
    assert notices.count() == 2
    assert f"The buyer wrote to you about the request on “Cotton tee” (order {order.number})" in (
        notices.first.inner_text()
    )
    filed = notices.nth(1).inner_text()
    assert f"New after-sales request on “Cotton tee” (order {order.number}): Refund only" in filed
    assert "Approve it, reject it or make an offer by" in filed
    assert _pictures_loaded(page) == [360, 360]
    shoot(page, "en-messages-of-a-shop")

    notices.nth(1).get_by_role("link", name="View").click()
    page.wait_for_url(f"**/seller/refunds/{refund.pk}/")
    assert order.number in page.locator("main").inner_text()

"""The shop's money moves ask first, in a browser: 同意退款 opens a page that says the amount and
what follows, and only its button refunds; a return request's button reads 同意退货 and the
buyer's timeline then says 商家同意退货; a shop without a return address and a request for
¥0.01 are offered no button that would fail. zh-hans on a phone (once without JavaScript) and
English on a desktop."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disputes import services as ds
from disputes.models import RefundKind, RefundRequest
from orders import services as orders
from tests import factories
from tests.browser.conftest import ACCEPT_LANGUAGE, DESKTOP, PHONE

PASSWORD = "pass-1234"  # the factories' password


@pytest.fixture
def people(transactional_db):
    shop = factories.ShopFactory(name="拼多多 · 百亿补贴店")
    return {
        "shop": shop,
        "merchant": factories.make_merchant(shop=shop, username="pdd1"),
        "buyer": factories.UserFactory(username="shopper"),
        "product": factories.ProductFactory(
            shop=shop, title="保温杯 500ml", price=Decimal("59.90")
        ),
    }


def _filed(people, *, kind=RefundKind.REFUND_ONLY, amount=None) -> RefundRequest:
    buyer = people["buyer"]
    order = orders.order_place(buyer=buyer, product=people["product"], quantity=1)
    orders.order_pay(order=order, actor=buyer)
    orders.order_ship(order=order, actor=people["merchant"], tracking_number="SF88")
    return ds.refund_file(
        buyer=buyer,
        order=order,
        kind=kind,
        reason="quality_problem",
        amount=amount or order.total,
        description="杯盖漏水。",
    )


def _signed_in(browser, live_server, user, language, viewport, *, javascript=True):
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
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_on_a_phone_the_shop_confirms_a_refund_before_it_goes_out(
    browser, live_server, shoot, people, javascript
):
    refund = _filed(people)
    shop = _signed_in(
        browser, live_server, people["merchant"], "zh-hans", PHONE, javascript=javascript
    )
    suffix = "" if javascript else "-nojs"

    shop.goto(f"/seller/refunds/{refund.pk}/")
    shop.get_by_role("button", name="同意退款").click()

    # the confirmation says the amount and what follows, and nothing has moved yet
    assert shop.get_by_role("heading", name="确认退款 ¥59.90？").is_visible()
    assert shop.get_by_text("退款将原路退回买家，申请随即完成。").is_visible()
    shoot(shop, f"zh-hans-seller-confirm-refund{suffix}")
    refund.refresh_from_db()
    assert refund.state == "requested"

    shop.get_by_role("button", name="确认退款").click()
    assert shop.get_by_text("退款成功").first.is_visible()
    refund.refresh_from_db()
    assert refund.state == "refunded"
    shop.context.close()


def test_on_a_phone_a_return_is_approved_as_a_return_and_the_buyer_reads_it_so(
    browser, live_server, shoot, people
):
    refund = _filed(people, kind=RefundKind.RETURN_AND_REFUND)
    shop = _signed_in(browser, live_server, people["merchant"], "zh-hans", PHONE)

    shop.goto(f"/seller/refunds/{refund.pk}/")
    assert shop.get_by_role("button", name="同意退款").count() == 0
    shop.get_by_role("button", name="同意退货").click()
    assert shop.get_by_role("heading", name="确认同意退货？").is_visible()
    assert shop.get_by_text("确认收到退货后再退款 ¥59.90").is_visible()
    shoot(shop, "zh-hans-seller-confirm-return")
    shop.get_by_role("button", name="同意退货").click()
    assert shop.get_by_text("商家同意退货").first.is_visible()
    shop.context.close()

    buyer = _signed_in(browser, live_server, people["buyer"], "zh-hans", PHONE)
    buyer.goto(f"/after-sales/{refund.pk}/")
    timeline = buyer.locator(".timeline").inner_text()
    assert "商家同意退货" in timeline
    assert "商家同意退款" not in timeline
    shoot(buyer, "zh-hans-buyer-return-approved")
    buyer.context.close()


def test_no_button_that_would_fail_a_cent_and_no_return_address(
    browser, live_server, shoot, people
):
    people["shop"].return_addresses.all().delete()
    cent = _filed(people, amount=Decimal("0.01"))
    shop = _signed_in(browser, live_server, people["merchant"], "zh-hans", PHONE)

    # ¥0.01 asked: nothing smaller can be offered, so no offer form
    shop.goto(f"/seller/refunds/{cent.pk}/")
    assert shop.get_by_role("button", name="同意退款").is_visible()
    assert shop.get_by_text("提出协商方案").count() == 0
    shoot(shop, "zh-hans-seller-refund-a-cent")
    ds.refund_cancel(refund=cent, actor=people["buyer"])

    # a return to a shop without an address: the page says why, and offers no 同意退货
    kept = _filed(people, kind=RefundKind.RETURN_AND_REFUND)
    shop.goto(f"/seller/refunds/{kept.pk}/")
    assert shop.get_by_text("同意退货前，店铺需要有退货地址，买家才能寄回商品。").is_visible()
    assert shop.get_by_role("button", name="同意退货").count() == 0
    assert shop.get_by_role("button", name="退款不退货").is_visible()
    shop.context.close()


def test_on_a_desktop_in_english_conceding_asks_first(browser, live_server, shoot, people):
    refund = _filed(people)
    ds.refund_reject(refund=refund, actor=people["merchant"], reason="不影响使用")
    ds.refund_escalate(refund=refund, actor=people["buyer"], statement="漏水")
    shop = _signed_in(browser, live_server, people["merchant"], "en", DESKTOP)

    shop.goto(f"/seller/refunds/{refund.pk}/")
    shop.get_by_role("button", name="Concede").click()
    assert shop.get_by_role("heading", name="Refund ¥59.90 in full?").is_visible()
    assert shop.get_by_text("without a ruling and without penalty points").is_visible()
    shoot(shop, "en-seller-confirm-concede")
    shop.get_by_role("button", name="Confirm the refund").click()
    assert shop.get_by_text("You conceded").is_visible()
    refund.refresh_from_db()
    assert refund.state == "refunded"
    shop.context.close()

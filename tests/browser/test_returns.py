"""A return that can be sent, in a browser: the shop keeps its return address in the seller
center and approves the return; the buyer reads where to send the goods (each piece selectable
whole) and enters the courier and the tracking number. zh-hans on a phone, English on a desktop,
and once without JavaScript."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disputes import services as ds
from disputes.models import RefundKind, RefundRequest
from merchants import services as ms
from orders import services as orders
from tests import factories
from tests.browser.conftest import ACCEPT_LANGUAGE, PHONE

PASSWORD = "pass-1234"  # the factories' password


@pytest.fixture
def people(transactional_db):
    shop = factories.ShopFactory(name="淘宝店 · 运动好物", return_address=None)
    return {
        "shop": shop,
        "merchant": factories.make_merchant(shop=shop, username="taobao1"),
        "buyer": factories.UserFactory(username="shopper"),
        "product": factories.ProductFactory(shop=shop, title="跑步鞋 男款", price=Decimal("60.00")),
    }


def _return_requested(people) -> RefundRequest:
    buyer = people["buyer"]
    order = orders.order_place(buyer=buyer, product=people["product"], quantity=1)
    orders.order_pay(order=order, actor=buyer)
    orders.order_ship(order=order, actor=people["merchant"], tracking_number="SF77")
    return ds.refund_file(
        buyer=buyer,
        order=order,
        kind=RefundKind.RETURN_AND_REFUND,
        reason="wrong_item",
        amount=Decimal("60.00"),
        description="发错颜色。",
    )


def _add_address(people, **typed):
    return ms.return_address_add(
        shop=people["shop"],
        **{
            "name": "李店长",
            "phone": "13998765432",
            "region": "福建省 泉州市 晋江市",
            "address": "陈埭镇鞋都路 66 号 2 楼",
            **typed,
        },
    )


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _pieces(page) -> list[str]:
    return [text.strip() for text in page.locator(".return-address .copyable").all_inner_texts()]


def test_on_a_phone_the_shop_adds_its_address_approves_and_the_buyer_sends_the_return(
    browser, live_server, shoot, people
):
    refund = _return_requested(people)

    def phone_page():
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE,
            locale="zh-CN",
            extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE["zh-hans"]},
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(15_000)
        return context, context.new_page()

    # the shop has no return address yet: the request page says so and links to adding one
    shop_context, shop = phone_page()
    _log_in(shop, people["merchant"])
    shop.goto(f"/seller/refunds/{refund.pk}/")
    assert shop.get_by_text("同意退货前，店铺需要有退货地址，买家才能寄回商品。").is_visible()
    assert shop.get_by_role("button", name="同意退货").count() == 0
    shoot(shop, "zh-hans-seller-refund-no-return-address")
    # the seller tabs stay on the screen's width, none broken across lines
    tabs = shop.locator(".seller-tabs a")
    for i in range(tabs.count()):
        box = tabs.nth(i).bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] < 48  # one line each
    shop.get_by_role("link", name="添加退货地址").click()
    shop.fill("#id_name", "李店长")
    shop.fill("#id_phone", "139 9876 5432")
    shop.fill("#id_region", "福建省 泉州市 晋江市")
    shop.fill("#id_address", "陈埭镇鞋都路 66 号 2 楼")
    shoot(shop, "zh-hans-seller-return-address-form")
    shop.get_by_role("button", name="保存").click()
    assert shop.get_by_text("退货地址已保存。").is_visible()
    assert shop.get_by_text("默认", exact=True).is_visible()  # the first one is the default
    shoot(shop, "zh-hans-seller-return-addresses")

    shop.goto(f"/seller/refunds/{refund.pk}/")
    shop.get_by_role("button", name="同意退货").click()
    assert shop.get_by_role("heading", name="确认同意退货？").is_visible()
    shop.get_by_role("button", name="同意退货").click()
    assert shop.get_by_text("待买家退货").first.is_visible()
    shop_context.close()

    # the buyer reads where to send it and sends it
    buyer_context, page = phone_page()
    _log_in(page, people["buyer"])
    page.goto(f"/after-sales/{refund.pk}/")
    assert page.get_by_role("heading", name="退货地址").is_visible()
    assert _pieces(page) == [
        "李店长",
        "139 9876 5432",
        "福建省 泉州市 晋江市 陈埭镇鞋都路 66 号 2 楼",
    ]
    # a tap on a piece selects all of it, to paste into a courier's app
    page.locator(".return-address .copyable").nth(2).click()
    selected = page.evaluate("() => window.getSelection().toString()")
    assert selected.strip() == "福建省 泉州市 晋江市 陈埭镇鞋都路 66 号 2 楼"
    shoot(page, "zh-hans-buyer-return-address")
    page.locator("#id_courier").select_option(label="顺丰速运")
    page.fill("#id_tracking_number", "SF1400123456789")
    page.get_by_role("button", name="填写退货物流").click()

    assert page.get_by_text("待商家收货").first.is_visible()
    assert page.get_by_text("顺丰速运").first.is_visible()
    assert page.get_by_text("SF1400123456789").first.is_visible()
    shoot(page, "zh-hans-buyer-return-shipped")
    buyer_context.close()
    refund.refresh_from_db()
    assert (refund.state, refund.return_courier) == ("return_shipped", "sf")
    assert refund.return_to_address == "陈埭镇鞋都路 66 号 2 楼"


@pytest.mark.parametrize("page_language", ["en"])
def test_on_a_desktop_in_english_the_buyer_sends_the_return_by_a_listed_courier(
    page, shoot, people
):
    _add_address(people)
    refund = ds.refund_approve(refund=_return_requested(people), actor=people["merchant"])

    _log_in(page, people["buyer"])
    page.goto(f"/after-sales/{refund.pk}/")
    assert page.get_by_role("heading", name="Return address").is_visible()
    assert _pieces(page)[0] == "李店长"
    options = page.locator("#id_courier option").all_inner_texts()
    assert options[1:] == [
        "SF Express",
        "ZTO Express",
        "YTO Express",
        "Yunda Express",
        "STO Express",
        "J&T Express",
        "JD Logistics",
        "EMS",
        "Other courier",
    ]
    shoot(page, "en-buyer-return-address")
    page.locator("#id_courier").select_option("zto")
    page.fill("#id_tracking_number", "ZTO7700456789")
    page.get_by_role("button", name="Enter return tracking").click()

    assert page.get_by_text("Return on its way").first.is_visible()
    assert page.get_by_text("ZTO Express").first.is_visible()
    shoot(page, "en-buyer-return-shipped")


def test_without_javascript_a_missing_courier_is_shown_in_place_and_the_return_then_goes(
    browser, live_server, shoot, people
):
    _add_address(people)
    refund = ds.refund_approve(refund=_return_requested(people), actor=people["merchant"])
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        locale="zh-CN",
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE["zh-hans"]},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()

    _log_in(page, people["buyer"])
    page.goto(f"/after-sales/{refund.pk}/")
    page.fill("#id_tracking_number", "YT8800123456")
    page.get_by_role("button", name="填写退货物流").click()

    assert page.get_by_text("该字段是必填项。").first.is_visible()
    assert page.locator("#id_tracking_number").input_value() == "YT8800123456"
    shoot(page, "zh-hans-nojs-buyer-return-courier-missing")
    page.locator("#id_courier").select_option("yto")
    page.get_by_role("button", name="填写退货物流").click()

    assert page.get_by_text("待商家收货").first.is_visible()
    context.close()
    refund.refresh_from_db()
    assert (refund.state, refund.return_courier) == ("return_shipped", "yto")

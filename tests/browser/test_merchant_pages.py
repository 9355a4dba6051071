"""A merchant's own pages as the merchant sees them: a restricted shop's dashboard, products and
personal center say what the restriction means and until when; the orders to ship read as they
should; the seller tabs and the chart read on a phone. In Chinese on a phone, in English on a
desktop."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from disputes import services as ds
from merchants.models import Product
from orders import services as orders
from tests.browser import test_seller_pages
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_seller_pages import _file, _log_in, _rule_against_the_shop, _shipped_order

people = test_seller_pages.people  # the same shop, merchant, buyer and agent


def _restrict(people):
    for _ in range(2):  # 6 + 4 points each
        refund = _file(people, _shipped_order(people))
        ds.refund_reject(refund=refund, actor=people["merchant"], reason="不同意")
        _rule_against_the_shop(people, refund, merchant_cooperated=False, penalty_points=6)
    people["shop"].refresh_from_db()
    assert people["shop"].is_restricted()
    return f"{timezone.localtime(people['shop'].restricted_until):%Y-%m-%d %H:%M}"


def _paid_order(people):
    order = orders.order_place(buyer=people["buyer"], product=people["product"], quantity=1)
    return orders.order_pay(order=order, actor=people["buyer"])


def test_a_restricted_shop_reads_what_it_may_not_do_and_until_when_on_a_phone(page, shoot, people):
    until = _restrict(people)
    Product.objects.create(
        shop=people["shop"], title="可爱短途旅行包", price=Decimal("20"), is_published=False
    )
    page.set_viewport_size(PHONE)
    _log_in(page, people["merchant"])

    page.goto("/seller/dashboard/")
    gauge = page.inner_text(".gauge-card")
    assert f"店铺限制中，{until} 结束" in gauge
    assert "将被限制" not in gauge
    assert re.search(r"未配合售后 \d+ 分", page.inner_text(".records"))
    assert "排名分决定店铺商品在商品列表中的位置" in page.inner_text("main")
    for label in page.locator(".points-chart text.month").all():
        assert label.bounding_box()["height"] >= 11  # px on the screen, at 390 wide
    tabs = page.locator(".seller-tabs a")
    assert {round(tabs.nth(n).bounding_box()["y"]) for n in range(tabs.count())} == {
        round(tabs.first.bounding_box()["y"])
    }  # one row, whatever its length: it scrolls sideways
    nav = page.locator(".seller-tabs").bounding_box()
    current = page.locator(".seller-tabs a[aria-current=page]").bounding_box()
    assert current["x"] + current["width"] <= nav["x"] + nav["width"]  # all five fit, in Chinese
    shoot(page, "merchant-dashboard-restricted")

    page.goto("/seller/products/")
    new = page.get_by_role("button", name="发布商品")
    assert new.is_disabled()
    assert f"店铺限制中，{until} 结束前不可用。" in new.locator("xpath=..").inner_text()
    row = page.locator(".product-row", has_text="可爱短途旅行包")
    assert row.get_by_role("button", name="上架").is_disabled()
    assert f"{until} 结束前不可用" in row.inner_text()
    assert page.get_by_role("link", name="发布商品").count() == 0
    shoot(page, "merchant-products-restricted")

    page.goto("/me/")
    main = page.inner_text("main")
    assert "待处理售后" in main and "20/12" in main
    assert f"店铺限制中，{until} 结束。" in main
    assert "我的订单" not in main and "待付款" not in main  # this merchant never bought
    assert page.locator("main").get_by_role("link", name="商家后台 ›").count() == 1
    shoot(page, "merchant-personal-center")


def test_the_orders_to_ship_show_the_amount_the_payment_time_and_a_usable_field(
    page, shoot, people
):
    order = _paid_order(people)
    page.set_viewport_size(PHONE)
    _log_in(page, people["merchant"])

    page.goto("/seller/orders/")
    row = page.locator(".ship-row").first
    paid = f"{timezone.localtime(order.paid_at):%Y-%m-%d %H:%M}"
    assert f"¥349.00 · 付款时间 {paid}" in row.inner_text()
    field = row.get_by_label("物流单号")
    box = field.bounding_box()
    assert box["height"] >= 40 and box["width"] >= 200
    shoot(page, "merchant-orders-to-ship")

    field.fill("SF123456789")
    row.get_by_role("button", name="发货").click()
    assert "已发货" in page.inner_text(".messages")


@pytest.mark.parametrize("page_language", ["en"])
def test_a_restricted_shop_in_english_on_a_desktop(page, shoot, people):
    until = _restrict(people)
    page.set_viewport_size(DESKTOP)
    _log_in(page, people["merchant"])

    page.goto("/seller/dashboard/")
    assert f"The shop is restricted until {until}:" in page.inner_text(".gauge-card")
    assert re.search(r"Did not cooperate \d+ points", page.inner_text(".records"))
    assert "The ranking score places the shop's products" in page.inner_text("main")
    shoot(page, "merchant-dashboard-restricted-en")

    page.goto("/seller/products/")
    assert page.get_by_role("button", name="New product").is_disabled()
    assert f"Unavailable until {until}: the shop is restricted." in page.inner_text("main")

    page.goto("/me/")
    assert "Requests to answer" in page.inner_text("main")
    assert "My orders" not in page.inner_text("main")
    shoot(page, "merchant-personal-center-en")

"""What anyone reads: a restricted shop's product and shop pages, and the rules page's diagrams
on a phone and by keyboard."""

from __future__ import annotations

from decimal import Decimal

import pytest

from merchants.models import Product
from public.diagrams import MACHINES, machine_edges
from tests.browser import test_seller_pages
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_merchant_pages import _restrict

people = test_seller_pages.people  # the same shop, merchant, buyer and agent


def test_a_restricted_shops_product_shows_the_public_warning_and_no_buy_button(page, shoot, people):
    until = _restrict(people)
    product = people["product"]
    page.set_viewport_size(PHONE)

    response = page.goto(f"/products/{product.pk}/")

    assert response.status == 200
    main = page.inner_text("main")
    assert product.title in main and "¥349.00" in main
    assert f"在 {until} 之前" in page.inner_text(".public-warning")
    assert "店铺限制期间不能购买。" in main
    assert page.get_by_role("button", name="立即购买").count() == 0
    shoot(page, "product-restricted-shop")

    page.get_by_role("link", name=people["shop"].name).click()
    credit = page.inner_text("main .card:has(h2:text('店铺信誉'))")
    assert f"限制至 {until}" in credit and "合格" not in credit
    shoot(page, "shop-restricted-credit")


@pytest.mark.parametrize("page_language", ["en"])
def test_a_shops_public_page_lists_what_is_on_sale_in_a_buyers_words(page, shoot, people):
    Product.objects.create(shop=people["shop"], title="Wool scarf", price=Decimal("59.00"))
    page.set_viewport_size(DESKTOP)

    page.goto(f"/shops/{people['shop'].pk}/")

    assert page.get_by_role("heading", name="On sale").is_visible()
    assert page.get_by_role("heading", name="Products").count() == 0
    assert "Excellent" in page.inner_text("main")
    shoot(page, "shop-public-en")


def test_the_rules_diagrams_start_where_a_case_starts_and_their_boxes_take_the_keyboard(
    page, shoot, transactional_db
):
    page.set_viewport_size(PHONE)
    page.goto("/rules/")

    refund = page.locator("#diagram-refund")
    assert refund.get_by_text("图比屏幕宽时可横向滑动查看").is_visible()
    scroller = refund.locator(".diagram-scroll")
    view = scroller.bounding_box()
    first = refund.locator("svg a", has_text="待商家处理").bounding_box()
    assert view["x"] <= first["x"] and first["x"] + first["width"] <= view["x"] + view["width"]
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # there is more to swipe to
    shoot(page, "rules-diagrams-phone")

    page.locator("#diagram-order h3").click()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#diagram-refund svg') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "待商家处理"
    page.keyboard.press("Enter")
    row = page.locator("#refund-requested")
    assert row.is_visible()  # the table of moves opened at the moves from that state
    assert row.locator("td").first.inner_text() == "待商家处理"


@pytest.mark.parametrize("page_language", ["en"])
def test_the_rules_diagrams_keep_words_that_read_on_a_desktop(page, shoot, transactional_db):
    page.set_viewport_size(DESKTOP)
    page.goto("/rules/")

    assert page.locator("#diagram-refund .scroll-hint").is_visible()
    for label in page.locator("#diagram-refund svg text").all():
        assert label.bounding_box()["height"] >= 12  # px on the screen: drawn at its size
    refund = next(m for m in MACHINES if m.name == "refund")
    states = {state for e in machine_edges(refund) for state in (e.source, e.target)}
    assert page.locator("#diagram-refund svg a").count() == len(states)  # a link per box
    shoot(page, "rules-diagrams-en")

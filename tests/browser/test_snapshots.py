"""The order as bought, in chromium: an agent opens a "not as described" case and sees the
trade snapshot beside the buyer's photos, told that the listing changed since (en, desktop);
a buyer sees each product's first picture on the catalogue and the snapshot on the order page
(zh-hans, phone, without JavaScript)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.pictures import label_photo, product_pictures, t_shirt
from disputes import services as ds
from disputes.models import RefundReason
from merchants.services import product_create, product_update
from orders.services import order_pay, order_place, order_ship
from tests import factories
from tests.admin.conftest import admin_path
from tests.browser.conftest import ACCEPT_LANGUAGE, PHONE

PASSWORD = "pass-1234"  # the factories' password


def _loaded_widths(page, selector: str) -> list[int]:
    # Images load after the page does; wait until each has finished (loaded or broken).
    page.evaluate(
        f"Promise.all([...document.querySelectorAll({selector!r})].map(i => i.complete"
        " || new Promise(done => { i.onload = i.onerror = done; })))"
    )
    return page.eval_on_selector_all(selector, "imgs => imgs.map(i => i.naturalWidth)")


@pytest.fixture
def changed_case(shop, merchant, agent):
    """A tee sold as 100% cotton, then relisted as a blend with another picture; the buyer's
    "not as described" case is under review with two photos of the label."""
    tee = product_create(
        shop=shop,
        title="Cotton tee",
        price=Decimal("59.00"),
        description="100% cotton, 200 g.",
        specification="颜色：白色；尺码：L",
        images=[t_shirt((250, 250, 250), "tee.jpg")],
    )
    buyer = factories.UserFactory(username="shopper")
    order = order_place(buyer=buyer, product=tee, quantity=1)
    order_pay(order=order, actor=buyer)
    order_ship(order=order, actor=merchant, tracking_number="SF1")
    refund = ds.refund_file(
        buyer=buyer,
        order=order,
        kind="refund_only",
        reason=RefundReason.NOT_AS_DESCRIBED,
        amount=Decimal("59.00"),
        description="The label says 60% cotton.",
    )
    ds.refund_reject(refund=refund, actor=merchant, reason="It is as described.")
    case = ds.refund_escalate(
        refund=refund,
        actor=buyer,
        statement="The listing said 100% cotton.",
        images=[label_photo(cotton=60), label_photo(cotton=60)],
    )
    ds.intervention_submit_evidence(intervention=case, actor=merchant, statement="It is a blend.")
    product_update(
        product=tee, title="Cotton-blend tee", price=Decimal("59.00"), description="60% cotton."
    )
    return case, order, buyer


@pytest.mark.parametrize("page_language", ["en"])
def test_an_agent_sees_the_snapshot_beside_the_buyers_photos(page, shoot, agent, changed_case):
    case, _order, _buyer = changed_case
    page.goto(admin_path("login/"))
    page.fill("#id_username", agent.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")

    page.goto(admin_path(f"disputes/intervention/{case.pk}/change/"))

    snapshot = page.locator("#snapshot")
    assert "Order snapshot" in snapshot.inner_text()
    assert "The listing has changed since; this is how it was when ordered" in (
        snapshot.inner_text()
    )
    assert "100% cotton, 200 g." in snapshot.inner_text()
    assert "Cotton tee" in snapshot.inner_text() and "blend" not in snapshot.inner_text()
    assert _loaded_widths(page, "#snapshot .thumbs img") == [360]
    assert _loaded_widths(page, "#buyer-side .thumbs img") == [360, 360]
    # side by side at desktop width: the same row, the snapshot first
    ours, theirs = snapshot.bounding_box(), page.locator("#buyer-side").bounding_box()
    assert ours["x"] + ours["width"] <= theirs["x"]
    assert abs(ours["y"] - theirs["y"]) < 2
    shoot(page, "en-admin-case-snapshot")


def test_a_buyer_without_javascript_sees_covers_and_the_snapshot_on_a_phone(
    browser, live_server, shoot, shop, changed_case
):
    _case, order, buyer = changed_case
    for n in range(3):
        product_create(
            shop=shop, title=f"Box {n}", price=Decimal("9.90"), images=product_pictures(n)
        )
    factories.ProductFactory(shop=shop, title="No picture mug")
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        locale="zh-CN",
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE["zh-hans"]},
        timezone_id="Asia/Shanghai",
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto("/")
        covers = page.locator("img.cover")
        assert covers.count() == 4  # the three boxes and the tee
        for i in range(covers.count()):
            box = covers.nth(i).bounding_box()
            assert box["width"] == box["height"] > 100  # square, two to a row
        placeholder = page.locator(".cover.placeholder")
        assert placeholder.count() == 1
        assert placeholder.get_attribute("aria-label") == "暂无图片：No picture mug"
        shoot(page, "zh-hans-catalogue-covers")

        page.goto("/accounts/login/")
        page.locator("#id_username").fill(buyer.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url("**/")
        page.goto(f"/orders/{order.pk}/")
        snapshot = page.locator("#snapshot")
        text = snapshot.inner_text()
        assert "交易快照" in text
        assert "商品信息已更新，以下为下单时快照" in text
        assert "100% cotton, 200 g." in text and "颜色：白色；尺码：L" in text
        picture = snapshot.locator(".thumbs img")
        assert picture.count() == 1
        served = page.request.get(picture.get_attribute("src"))
        assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
        shoot(page, "zh-hans-order-snapshot")
    finally:
        context.close()


def test_a_merchant_adds_orders_and_removes_pictures_in_the_seller_center(
    page, shoot, merchant, product, tmp_path
):
    product_update(
        product=product, title="Jacket", price=Decimal("100.00"), specification="颜色：黑色"
    )
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(merchant.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/")
    files = []
    for n, picture in enumerate(product_pictures(0) + product_pictures(1)[:1]):
        path = tmp_path / f"photo-{n}.jpg"
        path.write_bytes(picture.read())
        files.append(str(path))

    page.goto(f"/seller/products/{product.pk}/edit/")
    page.locator("#id_description").fill("羊毛混纺，内衬加厚。")
    page.locator("#id_images").set_input_files(files)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/seller/products/")
    assert page.locator(".product-row img.cover").count() == 1

    page.goto(f"/seller/products/{product.pk}/edit/")
    pictures = page.locator(".pictures li")
    assert pictures.count() == 3
    third = pictures.nth(2).locator("img").get_attribute("src")
    pictures.nth(2).get_by_role("button", name="前移").click()
    pictures.nth(1).get_by_role("button", name="前移").click()
    assert page.locator(".pictures li").first.locator("img").get_attribute("src") == third
    assert "主图" in page.locator(".pictures li").first.inner_text()
    page.locator(".pictures li").nth(2).get_by_role("button", name="删除").click()
    assert page.locator(".pictures li").count() == 2
    assert page.get_by_text("图片已删除。").is_visible()
    shoot(page, "zh-hans-seller-product-pictures")
    product.refresh_from_db()
    assert product.description == "羊毛混纺，内衬加厚。"
    assert product.images.count() == 2

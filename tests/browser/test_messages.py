"""A buyer and a shop write to each other with photos, each in a browser of their own, and each
reads the other's message in 协商历史: zh-hans on a phone, English on a desktop, and once with
JavaScript off."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from disputes import services as ds
from disputes.models import Message
from orders.services import order_pay, order_place, order_ship
from tests import factories
from tests.browser.conftest import ACCEPT_LANGUAGE, DESKTOP, PHONE

WORDS = {
    "zh-hans": {
        "history": "协商历史",
        "send": "发送留言",
        "sent": "留言已发送。",
        "buyer": "买家",
        "shop": "店铺",
        "too_many": "每条留言最多 3 张照片。",
    },
    "en": {
        "history": "History",
        "send": "Send message",
        "sent": "Your message was sent.",
        "buyer": "Buyer",
        "shop": "Shop",
        "too_many": "A message carries at most 3 photos.",
    },
}


def jpeg(path, colour):
    image = Image.new("RGB", (320, 240), "#eeeeee")
    ImageDraw.Draw(image).rounded_rectangle((40, 30, 280, 210), radius=24, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def request_on_a_shipped_order(transactional_db):
    shop = factories.ShopFactory(name="天猫旗舰店 · 优品馆")
    merchant = factories.make_merchant(shop=shop, username="tmall1")
    product = factories.ProductFactory(shop=shop, title="羊毛针织衫", price=Decimal("60.00"))
    buyer = factories.UserFactory(username="shopper")
    order = order_place(buyer=buyer, product=product, quantity=1)
    order_pay(order=order, actor=buyer)
    order_ship(order=order, actor=merchant, tracking_number="SF1")
    refund = ds.refund_file(
        buyer=buyer,
        order=order,
        kind="refund_only",
        reason="quality_problem",
        amount=Decimal("60.00"),
        description="袖口开线",
    )
    return refund, buyer, merchant


def signed_in(browser, live_server, username, *, language, viewport, javascript=True):
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


def write(page, text, *photos):
    form = page.locator("#message-form")
    form.locator("textarea").fill(text)
    if photos:
        form.locator("input[type=file]").set_input_files(list(photos))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def shown_photos(page, text) -> list[int]:
    """The natural widths of the photos of the message saying `text` (0: not loaded)."""
    said = page.locator("#history li.said", has_text=text)
    assert said.count() == 1, text
    widths = []
    for n in range(said.locator("img").count()):
        img = said.locator("img").nth(n)
        img.scroll_into_view_if_needed()  # the thumbnails load lazily, once in view
        page.wait_for_function("img => img.complete", arg=img.element_handle())
        widths.append(img.evaluate("img => img.naturalWidth"))
    return widths


def exchange(browser, live_server, shoot, tmp_path, request, *, language, viewport, javascript):
    refund, buyer, merchant = request
    words = WORDS[language]
    name = f"{language}-{'phone' if viewport == PHONE else 'desktop'}"
    if not javascript:
        name += "-nojs"
    buyer_page = signed_in(
        browser,
        live_server,
        buyer.username,
        language=language,
        viewport=viewport,
        javascript=javascript,
    )
    shop_page = signed_in(
        browser,
        live_server,
        merchant.username,
        language=language,
        viewport=viewport,
        javascript=javascript,
    )
    console_errors = []
    for page in (buyer_page, shop_page):
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # The buyer shows the flaw with a photo.
    buyer_page.goto(f"/after-sales/{refund.pk}/")
    assert buyer_page.get_by_role("heading", name=words["history"]).is_visible()
    write(
        buyer_page,
        "袖口开线了，见照片 / the cuff came apart",
        jpeg(tmp_path / "cuff.jpg", "#4a78b5"),
    )
    assert buyer_page.get_by_text(words["sent"]).is_visible()
    assert shown_photos(buyer_page, "袖口开线了") == [320]

    # The shop reads it on its request page, with the photo, and answers with one of its own.
    shop_page.goto(f"/seller/refunds/{refund.pk}/")
    history = shop_page.locator("#history")
    assert history.get_by_role("heading", name=words["history"]).is_visible()
    assert history.get_by_text("袖口开线了，见照片").is_visible()
    assert shown_photos(shop_page, "袖口开线了") == [320]
    shoot(shop_page, f"{name}-seller-reads-the-buyers-message")
    write(
        shop_page,
        "抱歉！请再拍一张吊牌 / a photo of the tag, please",
        jpeg(tmp_path / "tag.jpg", "#2f2f2f"),
    )
    assert shop_page.get_by_text(words["sent"]).is_visible()

    # The buyer reads the shop's answer beside their own message.
    buyer_page.goto(f"/after-sales/{refund.pk}/")
    said = buyer_page.locator("#history li.said")
    assert said.count() == 2
    assert said.nth(0).get_by_text(words["buyer"], exact=True).is_visible()
    assert said.nth(1).get_by_text(words["shop"], exact=True).is_visible()
    assert shown_photos(buyer_page, "请再拍一张吊牌") == [320]
    shoot(buyer_page, f"{name}-buyer-reads-the-shops-answer")
    assert console_errors == []  # no script or style refused (the refusal below answers 400)

    # Four photos are refused, the text stays, and the page says why.
    photos = [jpeg(tmp_path / f"{n}.jpg", "#aa3333") for n in range(4)]
    write(buyer_page, "四张照片 / four photos", *photos)
    assert buyer_page.locator("#message-form textarea").input_value() == "四张照片 / four photos"
    assert buyer_page.get_by_text(words["too_many"]).is_visible()
    shoot(buyer_page, f"{name}-buyer-message-refused")

    assert [(m.party, m.images.count()) for m in Message.objects.order_by("pk")] == [
        ("buyer", 1),
        ("merchant", 1),
    ]
    buyer_page.context.close()
    shop_page.context.close()


def test_a_buyer_and_a_shop_exchange_photos_in_chinese_on_a_phone(
    browser, live_server, shoot, tmp_path, request_on_a_shipped_order
):
    exchange(
        browser,
        live_server,
        shoot,
        tmp_path,
        request_on_a_shipped_order,
        language="zh-hans",
        viewport=PHONE,
        javascript=True,
    )


def test_a_buyer_and_a_shop_exchange_photos_in_english_on_a_desktop(
    browser, live_server, shoot, tmp_path, request_on_a_shipped_order
):
    exchange(
        browser,
        live_server,
        shoot,
        tmp_path,
        request_on_a_shipped_order,
        language="en",
        viewport=DESKTOP,
        javascript=True,
    )


def test_the_exchange_works_without_javascript(
    browser, live_server, shoot, tmp_path, request_on_a_shipped_order
):
    exchange(
        browser,
        live_server,
        shoot,
        tmp_path,
        request_on_a_shipped_order,
        language="zh-hans",
        viewport=PHONE,
        javascript=False,
    )

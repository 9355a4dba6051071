"""The buyer's after-sales pages as a shopper reads them: 售后详情's progress bar, the 退款/售后
list, a refused request form, the order whose after-sales window has passed, the timeline and
the ruling after the platform stepped in, and what an unpaid order says it costs. Chinese on a
phone, English on a desktop, and once with JavaScript off."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import RefundKind
from orders import services as orders
from tests import factories
from tests.browser.conftest import ACCEPT_LANGUAGE, DESKTOP, PHONE


@pytest.fixture
def people(transactional_db):
    shop = factories.ShopFactory(name="拼多多 · 好物小店")
    return {
        "shop": shop,
        "merchant": factories.make_merchant(shop=shop, username="pdd1"),
        "buyer": factories.UserFactory(username="shopper"),
        "product": factories.ProductFactory(
            shop=shop, title="羽绒服 黑色 L", price=Decimal("199.00")
        ),
    }


def _shipped_order(people):
    buyer = people["buyer"]
    order = orders.order_place(buyer=buyer, product=people["product"], quantity=1)
    orders.order_pay(order=order, actor=buyer)
    orders.order_ship(order=order, actor=people["merchant"], tracking_number="YT2026")
    return order


def _filed(people, kind=RefundKind.REFUND_ONLY, order=None):
    return ds.refund_file(
        buyer=people["buyer"],
        order=order or _shipped_order(people),
        kind=kind,
        reason="quality_problem",
        amount=Decimal("199.00"),
        description="拉链坏了。",
    )


def _signed_in(browser, live_server, user, language: str, viewport, *, javascript=True):
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
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("pass-1234")
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    return context, page


def _steps(page) -> list[tuple[str, str | None]]:
    """The progress bar as read aloud: each step's words and whether it is the current one."""
    bar = page.get_by_role("list", name=_PROGRESS[page.evaluate("document.documentElement.lang")])
    items = bar.get_by_role("listitem")
    return [
        (
            " ".join(items.nth(i).inner_text().split()),
            items.nth(i).get_attribute("aria-current"),
        )
        for i in range(items.count())
    ]


_PROGRESS = {"zh-hans": "进度", "en": "Progress"}


# --- 售后详情's progress bar ----------------------------------------------------------------


def test_on_a_phone_a_return_shows_its_steps_and_where_it_is(browser, live_server, shoot, people):
    refund = _filed(people, kind=RefundKind.RETURN_AND_REFUND)
    context, page = _signed_in(browser, live_server, people["buyer"], "zh-hans", PHONE)

    page.goto(f"/after-sales/{refund.pk}/")
    steps = _steps(page)
    names = [name for name, _ in steps]
    assert re.fullmatch(r"✓ 申请 已完成 \d\d-\d\d \d\d:\d\d", names[0])  # done, and when
    assert names[1:] == ["2 商家处理", "3 退货", "4 退款成功"]
    assert [current for _, current in steps] == [None, "step", None, None]
    shoot(page, "zh-hans-buyer-steps-waiting-for-the-shop")

    ds.refund_approve(refund=refund, actor=people["merchant"])
    page.reload()
    steps = _steps(page)
    assert [current for _, current in steps] == [None, None, "step", None]
    assert steps[1][0].startswith("✓ 商家处理 已完成")
    assert steps[2][0] == "3 退货"
    # the bar fits the phone's width: no step pushed off the screen
    for box in page.locator("ol.steps > li").evaluate_all(
        "items => items.map(i => i.getBoundingClientRect().right)"
    ):
        assert box <= PHONE["width"]
    shoot(page, "zh-hans-buyer-steps-return")
    context.close()


def test_on_a_desktop_a_refund_only_request_closed_after_a_rejection_ends_closed(
    browser, live_server, shoot, people
):
    refund = _filed(people)
    ds.refund_reject(refund=refund, actor=people["merchant"], reason="Worn already")
    context, page = _signed_in(browser, live_server, people["buyer"], "en", DESKTOP)

    page.goto(f"/after-sales/{refund.pk}/")
    steps = _steps(page)
    assert re.fullmatch(r"✓ Request done [\d:\- ]+", steps[0][0])
    # rejected: still with the shop (the buyer may edit the request or ask the platform)
    assert re.fullmatch(r"2 Shop handling [\d:\- ]+", steps[1][0])
    assert steps[1][1] == "step"
    assert steps[2:] == [("3 Refund successful", None)]  # no return step on a refund only
    context.close()

    enforce_deadlines(now=timezone.now() + timedelta(days=8))
    context, page = _signed_in(browser, live_server, people["buyer"], "en", DESKTOP)
    page.goto(f"/after-sales/{refund.pk}/")
    steps = _steps(page)
    assert steps[-1][0].startswith("✕ After-sales closed")
    assert steps[-1][1] == "step"
    assert not any("Refund successful" in name for name, _ in steps)
    shoot(page, "en-buyer-steps-closed")
    context.close()


# --- 退款/售后, the buyer's own requests --------------------------------------------------------


def test_on_a_phone_my_orders_has_a_refunds_tab_listing_my_requests(
    browser, live_server, shoot, people
):
    cancelled = _filed(people)
    ds.refund_cancel(refund=cancelled, actor=people["buyer"])
    waiting = _filed(people, kind=RefundKind.RETURN_AND_REFUND)
    context, page = _signed_in(browser, live_server, people["buyer"], "zh-hans", PHONE)

    page.goto("/orders/")
    page.get_by_role("link", name="退款/售后").click()

    expect(page.get_by_role("heading", name="退款/售后")).to_be_visible()
    tab = page.get_by_role("link", name="退款/售后")
    assert tab.get_attribute("aria-current") == "page"
    box = tab.bounding_box()  # in view on the phone's screen, not scrolled off to the right
    assert box["x"] + box["width"] <= PHONE["width"]
    cards = page.locator("main li.card")
    assert cards.count() == 2
    newest = " ".join(cards.nth(0).inner_text().split())
    assert "待商家处理" in newest and "退货退款" in newest and "羽绒服 黑色 L × 1" in newest
    assert "退款金额：¥199.00" in newest
    assert "已撤销" in cards.nth(1).inner_text()
    shoot(page, "zh-hans-buyer-refund-list")
    cards.nth(0).get_by_role("link", name="售后详情").click()
    assert page.url.endswith(f"/after-sales/{waiting.pk}/")
    context.close()


def test_on_a_desktop_the_personal_center_leads_to_the_refunds_list(
    browser, live_server, shoot, people
):
    _filed(people)
    context, page = _signed_in(browser, live_server, people["buyer"], "en", DESKTOP)

    page.goto("/me/")
    page.get_by_role("link", name="Refunds & after-sales").click()

    expect(page.get_by_role("heading", name="Refunds & after-sales")).to_be_visible()
    card = " ".join(page.locator("main li.card").first.inner_text().split())
    assert "Waiting for the shop" in card and "Refund only" in card
    assert "Refund amount: ¥199.00" in card
    shoot(page, "en-buyer-refund-list")
    context.close()


# --- a refused request form ------------------------------------------------------------------


@pytest.fixture
def photos(tmp_path):
    from PIL import Image

    paths = []
    for n, colour in enumerate(((200, 40, 40), (40, 160, 60))):
        path = tmp_path / f"zip-{n}.png"
        Image.new("RGB", (64, 64), colour).save(path)
        paths.append(str(path))
    return paths


def test_on_a_phone_a_refused_request_keeps_the_text_and_asks_for_the_photos_again(
    browser, live_server, shoot, people, photos
):
    order = _shipped_order(people)
    context, page = _signed_in(browser, live_server, people["buyer"], "zh-hans", PHONE)
    page.goto(f"/orders/{order.pk}/after-sales/")
    description = page.get_by_label("问题描述")
    assert page.locator("#id_description_helptext").inner_text() == "最多 500 字。"

    description.fill("拉链第一天就坏了")
    # the counter follows the typing (JavaScript), in the words the server wrote
    expect(page.locator("#id_description_helptext")).to_have_text("最多 500 字，已写 8 字。")
    page.get_by_label("原因").select_option(label="质量问题")
    page.get_by_label("退款金额（¥）").fill("999")
    page.get_by_label("照片（凭证）").set_input_files(photos)
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_text("金额最多 ¥199.00（实付减去已退款）。")).to_be_visible()
    assert page.get_by_label("问题描述").input_value() == "拉链第一天就坏了"
    help_text = page.locator("#id_image_helptext")
    expect(help_text.get_by_text("您选的 2 张照片没有保存，请重新选择。")).to_be_visible()
    assert page.get_by_label("照片（凭证）").evaluate("input => input.files.length") == 0
    shoot(page, "zh-hans-buyer-refused-request-photos")
    context.close()


def test_without_javascript_a_refused_request_counts_its_text_and_names_the_photos(
    browser, live_server, shoot, people, photos
):
    order = _shipped_order(people)
    context, page = _signed_in(
        browser, live_server, people["buyer"], "en", DESKTOP, javascript=False
    )
    page.goto(f"/orders/{order.pk}/after-sales/")

    page.get_by_label("Description").fill("The zip came off on day one.")
    assert page.locator("#id_description_helptext").inner_text() == "At most 500 characters."
    page.get_by_label("Reason").select_option(label="Quality problem")
    page.get_by_label("Refund amount (¥)").fill("999")
    page.get_by_label("Photos (evidence)").set_input_files(photos[:1])
    page.get_by_role("button", name="Submit request").click()

    assert page.get_by_label("Description").input_value() == "The zip came off on day one."
    assert (
        page.locator("#id_description_helptext").inner_text()
        == "At most 500 characters; 28 written."
    )
    expect(page.get_by_text("The photo you chose was not saved: choose it again.")).to_be_visible()
    shoot(page, "en-buyer-refused-request-photos")
    context.close()


# --- the order whose after-sales window has passed ------------------------------------------------


def _completed_long_ago(people, days: int):
    from demo.workflow import Workflow

    wf = Workflow(
        buyer=people["buyer"],
        merchant=people["merchant"],
        agent=None,
        supervisor=None,
        product=people["product"],
        now=timezone.now() - timedelta(days=days),
    )
    return wf.order("completed")


@pytest.mark.parametrize(
    ("language", "viewport", "words"),
    [
        ("zh-hans", PHONE, "该订单的售后期已于 {until} 结束：确认收货后 15 天内可申请售后。"),
        (
            "en",
            DESKTOP,
            "The after-sales window for this order closed at {until}: a request could be made "
            "up to 15 days after receipt was confirmed.",
        ),
    ],
    ids=["zh-hans-phone", "en-desktop"],
)
def test_an_order_past_its_window_says_why_after_sales_is_gone_and_until_when(
    browser, live_server, shoot, people, language, viewport, words
):
    order = _completed_long_ago(people, days=20)
    until = timezone.localtime(order.completed_at + timedelta(days=15))
    context, page = _signed_in(browser, live_server, people["buyer"], language, viewport)

    page.goto(f"/orders/{order.pk}/")

    expect(page.get_by_text(words.format(until=f"{until:%Y-%m-%d %H:%M}"))).to_be_visible()
    assert (
        page.get_by_role(
            "link", name={"zh-hans": "申请售后", "en": "Request after-sales"}[language]
        ).count()
        == 0
    )
    shoot(page, f"{language}-buyer-order-after-sales-closed")
    context.close()

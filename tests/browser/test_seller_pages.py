"""The merchant's side in a browser: the seller center, the penalty dashboard, the public shop
page and the rules page, in Chinese (the default) and in English."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from disputes import services as ds
from disputes.models import RefundKind, RefundReason
from merchants.models import Product
from orders import services as orders
from tests import factories

PASSWORD = "pass-1234"  # the factories' password


@pytest.fixture
def people(transactional_db):
    shop = factories.ShopFactory(name="天猫旗舰店 · 优品馆")
    return {
        "shop": shop,
        "merchant": factories.make_merchant(shop=shop, username="tmall1"),
        "buyer": factories.UserFactory(username="buyer"),
        "agent": factories.make_agent(username="agent"),
        "product": Product.objects.create(
            shop=shop, title="杰克琼斯秋冬季男装毛衣", price=Decimal("349.00")
        ),
    }


def _shipped_order(people, product=None):
    buyer, merchant = people["buyer"], people["merchant"]
    order = orders.order_place(buyer=buyer, product=product or people["product"], quantity=1)
    orders.order_pay(order=order, actor=buyer)
    return orders.order_ship(order=order, actor=merchant, tracking_number="SF1001")


def _file(people, order):
    return ds.refund_file(
        buyer=people["buyer"],
        order=order,
        kind=RefundKind.REFUND_ONLY,
        reason=RefundReason.QUALITY_PROBLEM,
        amount=order.total,
        description="拉链坏了",
    )


def _rule_against_the_shop(people, refund, **kwargs):
    """The buyer escalates, both sides give evidence, the agent rules against the shop."""
    refund.refresh_from_db()
    ds.refund_escalate(refund=refund, actor=people["buyer"], statement="商家拒绝退款")
    case = refund.intervention
    for party in (people["buyer"], people["merchant"]):
        ds.intervention_submit_evidence(intervention=case, actor=party, statement="说明")
    case.refresh_from_db()
    return ds.intervention_rule(
        intervention=case,
        actor=people["agent"],
        outcome="buyer_full_refund",
        rationale="照片显示商品有质量问题。",
        merchant_responsible=True,
        **kwargs,
    )


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_merchant_answers_in_the_seller_center_and_follows_the_penalty_on_the_dashboard(
    page, shoot, people
):
    _file(people, _shipped_order(people))
    _file(people, _shipped_order(people))
    unshipped = orders.order_place(buyer=people["buyer"], product=people["product"], quantity=1)
    orders.order_pay(order=unshipped, actor=people["buyer"])
    newest = _file(people, unshipped)  # not shipped yet: the shop has 24 hours, so it comes first

    _log_in(page, people["merchant"])
    page.goto("/seller/")
    rows = page.locator(".queue-row")
    assert rows.count() == 3
    top = rows.first.inner_text()
    assert newest.order.number in top
    assert re.search(r"剩余 \d+ 天 \d+ 小时", top)
    shoot(page, "seller-center")

    rows.first.locator("a").first.click()
    assert newest.order.number in page.inner_text("main")
    shoot(page, "seller-refund-answer")
    page.fill("textarea[name=reason]", "商品已使用,不影响二次销售")
    page.get_by_role("button", name="拒绝退款").click()
    assert "商家已拒绝" in page.inner_text("main")
    shoot(page, "seller-refund")

    page.goto("/seller/dashboard/")
    assert "0 / 12" in page.inner_text(".gauge-card")
    _rule_against_the_shop(people, newest, merchant_cooperated=True)

    page.goto("/seller/dashboard/")
    assert re.search(r"2\s*/\s*12", page.inner_text(".gauge-card"))
    record = page.locator(".record").first
    assert "照片显示商品有质量问题。" in record.inner_text()
    month = timezone.localtime().month
    assert (
        page.locator(".chart-table tbody tr").nth(month - 1).locator("td").first.inner_text() == "2"
    )
    assert page.locator(".points-chart rect.bar").nth(month - 1).get_attribute("height") != "0.0"
    shoot(page, "penalty-dashboard")

    record.get_by_role("link", name="申诉").click()
    page.fill("textarea[name=statement]", "快递签收照片显示包装完好。")
    page.get_by_role("button", name="提交申诉").click()
    assert page.url.endswith("/seller/dashboard/")
    assert "申诉审核中" in page.locator(".record").first.inner_text()
    assert page.locator(".record").first.get_by_role("link", name="申诉").count() == 0


def test_a_shop_at_12_points_is_warned_in_public_hidden_and_cannot_list(page, shoot, people):
    for _ in range(2):  # 6 + 4 points each
        refund = _file(people, _shipped_order(people))
        ds.refund_reject(refund=refund, actor=people["merchant"], reason="不同意")
        _rule_against_the_shop(people, refund, merchant_cooperated=False, penalty_points=6)

    page.goto(f"/shops/{people['shop'].pk}/")
    assert "店铺被公示警告" in page.inner_text("main")
    assert people["product"].title not in page.inner_text("main")
    shoot(page, "shop-restricted")

    page.goto("/")
    assert people["product"].title not in page.inner_text("main")
    page.goto("/?q=毛衣")
    assert people["product"].title not in page.inner_text("main")

    _log_in(page, people["merchant"])
    page.goto("/seller/products/new/")
    page.fill("input[name=title]", "可爱短途旅行包")
    page.fill("input[name=price]", "20")
    page.get_by_role("button", name="上架商品").click()
    # the service's refusal, whole and in Chinese, above the form it kept
    assert "在此之前不能新建或上架商品。" in page.inner_text(".messages .message.error")
    assert page.input_value("input[name=title]") == "可爱短途旅行包"
    assert "店铺限制中" in page.inner_text("main")
    assert not Product.objects.filter(title="可爱短途旅行包").exists()


@pytest.mark.parametrize("page_language", ["en"])
def test_the_penalty_dashboard_in_english(page, shoot, people):
    cheap = Product.objects.create(shop=people["shop"], title="Shower gel", price=Decimal("39.72"))
    refund = _file(people, _shipped_order(people, cheap))
    ds.refund_reject(refund=refund, actor=people["merchant"], reason="No")
    _rule_against_the_shop(people, refund, merchant_cooperated=False)

    _log_in(page, people["merchant"])
    page.goto("/seller/dashboard/")

    main = page.inner_text("main")
    assert "Penalty dashboard" in main
    assert re.search(r"6\s*/\s*12", page.inner_text(".gauge-card"))
    assert "Dispute rate" in main and "Seller level" in main
    assert "refund without return" in page.inner_text(".advice")
    assert page.locator(".record").first.get_by_role("link", name="Appeal").count() == 1
    shoot(page, "penalty-dashboard-en")


@pytest.mark.parametrize("page_language", ["zh-hans", "en"])
def test_the_rules_page_shows_the_rules_and_the_diagrams(
    page, shoot, transactional_db, page_language
):
    page.goto("/rules/")

    assert page.locator(".rules-table tr").count() >= 20
    for name in ("order", "refund", "intervention"):
        assert page.locator(f"#diagram-{name} svg").bounding_box()["width"] > 300
    shoot(page, f"rules-{page_language}")

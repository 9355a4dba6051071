"""The buyer's after-sales path in a browser, as the seed article walks it, in both languages."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from PIL import Image

from disputes import services as ds
from disputes.models import Intervention, RefundRequest
from orders.models import Order
from orders.services import order_ship
from tests import factories

SEED_TITLE = "杰克琼斯秋冬季男装毛衣针织衫略宽松衣身扎染设计字母贴布百搭潮"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def market(transactional_db):
    shop = factories.ShopFactory(name="天猫旗舰店 · 优品馆")
    merchant = factories.make_merchant(shop=shop, username="tmall1")
    product = factories.ProductFactory(shop=shop, title=SEED_TITLE, price=Decimal("349.00"))
    agent = factories.make_agent(username="agent")
    return {"shop": shop, "merchant": merchant, "product": product, "agent": agent}


WORDS = {
    "zh-hans": {
        "signup": "注册",
        "create": "创建账号",
        "buy": "立即购买",
        "pay": "立即付款（模拟）",
        "request": "申请售后",
        "submit": "提交申请",
        "escalate": "申请平台介入",
        "rejected": "商家已拒绝",
        "waiting": "待商家处理",
        "ruling": "平台判定",
        "full_refund": "支持买家，全额退款",
        "refunded": "退款成功",
        "time_left": re.compile(r"剩余 \d+ 天 \d+ 小时"),
    },
    "en": {
        "signup": "Sign up",
        "create": "Create my account",
        "buy": "Buy now",
        "pay": "Pay (simulated)",
        "request": "Request after-sales",
        "submit": "Submit request",
        "escalate": "Apply for platform intervention",
        "rejected": "Rejected by the shop",
        "waiting": "Waiting for the shop",
        "ruling": "Ruling",
        "full_refund": "Full refund to the buyer",
        "refunded": "Refunded",
        "time_left": re.compile(r"\d+ d \d+ h left"),
    },
}


def walk_the_path(page, shoot, market, language: str, tmp_path):
    words = WORDS[language]
    prefix = f"{language}-"
    console_errors = []  # a Content-Security-Policy refusal shows up here
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    page.goto("/")
    shoot(page, prefix + "home")
    page.get_by_role("link", name=words["signup"]).first.click()
    page.locator("#id_username").fill(f"shopper_{language.replace('-', '')}")
    page.locator("#id_password").fill("a-long-pass-42")
    page.locator("#id_password_again").fill("a-long-pass-42")
    page.get_by_role("button", name=words["create"]).click()
    shoot(page, prefix + "personal-center")

    page.goto("/")
    page.get_by_role("link", name=SEED_TITLE).click()
    shoot(page, prefix + "product")
    page.get_by_role("button", name=words["buy"]).click()
    page.get_by_role("button", name=words["pay"]).click()
    order = Order.objects.get(buyer__username__startswith="shopper_")
    assert order.state == "paid"

    order_ship(order=order, actor=market["merchant"], tracking_number="SF1234567")
    page.reload()
    shoot(page, prefix + "order-detail")
    page.get_by_role("link", name=words["request"]).click()
    amount = page.locator("#id_amount")
    assert Decimal(amount.input_value()) == Decimal("349.00")  # prefilled: what is refundable
    page.locator("#id_reason").select_option("quality_problem")
    page.locator("#id_description").fill("拉链坏了 zip broken")
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    page.locator("#id_image").set_input_files(str(photo))
    shoot(page, prefix + "refund-form")
    page.get_by_role("button", name=words["submit"]).click()

    refund = RefundRequest.objects.get(order=order)
    assert refund.evidence.count() == 1
    assert page.get_by_text(words["waiting"]).first.is_visible()
    assert words["time_left"].search(page.content())
    assert page.get_by_role("link", name=words["escalate"]).count() == 0
    shoot(page, prefix + "refund-detail-requested")

    ds.refund_reject(
        refund=refund, actor=market["merchant"], reason="买家人为损坏 / damaged by use"
    )
    page.reload()
    assert page.get_by_text(words["rejected"]).first.is_visible()
    shoot(page, prefix + "refund-detail-rejected")
    page.get_by_role("link", name=words["escalate"]).click()
    shoot(page, prefix + "escalate-form")
    page.locator("#id_statement").fill("收到时拉链就是坏的。")
    page.get_by_role("button", name=words["escalate"]).click()

    intervention = Intervention.objects.get(refund=refund)
    assert page.url.endswith(f"/interventions/{intervention.pk}/")
    shoot(page, prefix + "intervention-open")

    ds.intervention_submit_evidence(
        intervention=intervention, actor=market["merchant"], statement="发货时完好。"
    )
    ds.intervention_rule(
        intervention=intervention,
        actor=market["agent"],
        outcome="buyer_full_refund",
        rationale="照片显示拉链在签收时已损坏。",
        merchant_responsible=True,
    )
    page.reload()
    assert page.get_by_text(words["full_refund"]).first.is_visible()
    assert page.get_by_text("照片显示拉链在签收时已损坏。").is_visible()
    shoot(page, prefix + "intervention-ruled")
    page.get_by_role("link", name=re.compile(words["refunded"])).first.click()
    assert page.get_by_text(words["refunded"]).first.is_visible()
    assert "¥349.00" in page.content()
    shoot(page, prefix + "refund-detail-refunded")
    page.get_by_role("link", name=re.compile("消息|Messages")).first.click()
    shoot(page, prefix + "messages")
    page.get_by_role("link", name=re.compile("我的订单|My orders")).first.click()
    shoot(page, prefix + "my-orders")
    assert console_errors == []


def test_a_buyer_walks_the_after_sales_path_in_chinese(page, shoot, market, tmp_path):
    walk_the_path(page, shoot, market, "zh-hans", tmp_path)


@pytest.mark.parametrize("page_language", ["en"])
def test_a_buyer_walks_the_after_sales_path_in_english(page, shoot, market, tmp_path):
    walk_the_path(page, shoot, market, "en", tmp_path)


def test_a_non_image_upload_shows_the_form_again_with_the_text_kept(page, shoot, market, tmp_path):
    buyer = factories.UserFactory(username="shopper")
    from orders.services import order_pay, order_place

    order = order_place(buyer=buyer, product=market["product"], quantity=1)
    order_pay(order=order, actor=buyer)
    order_ship(order=order, actor=market["merchant"], tracking_number="SF1")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("shopper")
    page.locator("#id_password").fill("pass-1234")
    page.locator("#id_password").press("Enter")

    page.goto(f"/orders/{order.pk}/after-sales/")
    page.locator("#id_reason").select_option("not_as_described")
    page.locator("#id_amount").fill("120.50")
    page.locator("#id_description").fill("颜色和图片完全不一样")
    fake = tmp_path / "receipt.png"
    fake.write_bytes(b"%PDF-1.4 this is a document, not a picture")
    page.locator("#id_image").set_input_files(str(fake))
    page.get_by_role("button", name="提交申请").click()

    assert page.locator("#id_description").input_value() == "颜色和图片完全不一样"
    assert page.locator("#id_amount").input_value() == "120.50"
    assert page.locator("#id_reason").input_value() == "not_as_described"
    assert page.get_by_text("“receipt.png”不是可识别的图片。").is_visible()
    assert not RefundRequest.objects.filter(order=order).exists()
    shoot(page, "zh-hans-refund-form-bad-image")

"""The seller center's pages call the services and show what they answer."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation

from disputes.models import RefundState
from merchants.models import Product
from penalties.services import shop_points_adjust
from tests.seller.conftest import client_for, lose_disputes


def test_the_queue_shows_a_new_request_with_its_countdown(wf, merchant_client):
    refund = wf.refund("requested")

    page = merchant_client.get(reverse("seller-queue")).content.decode()

    assert refund.order.number in page
    assert f'<span class="queue-title">{refund.order.items.get().title}</span>' in page
    assert "剩余" in page  # 剩余 X 天 X 小时
    assert "待商家处理" in page


def test_rejecting_needs_a_reason_and_keeps_the_form(wf, merchant_client):
    refund = wf.refund("requested")
    url = reverse("seller-refund-reject", args=[refund.pk])

    response = merchant_client.post(url, {"reason": ""})

    assert response.status_code == 400
    refund.refresh_from_db()
    assert refund.state == RefundState.REQUESTED

    response = merchant_client.post(url, {"reason": "The buyer used the jacket"}, follow=True)

    refund.refresh_from_db()
    assert refund.state == RefundState.REJECTED
    assert refund.rejection_reason == "The buyer used the jacket"
    assert "商家已拒绝" in response.content.decode()


def test_rejecting_a_request_already_refunded_answers_409_with_the_reason(wf, merchant_client):
    refund = wf.refund("refunded")

    response = merchant_client.post(
        reverse("seller-refund-reject", args=[refund.pk]), {"reason": "Too late"}
    )

    assert response.status_code == 409
    with translation.override("zh-hans"):
        refunded = str(RefundState.REFUNDED.label)
    assert f"当前状态为“{refunded}”，无法进行此操作。" in response.content.decode()


def test_a_too_long_reason_is_refused_beside_the_field_and_kept(wf, merchant_client):
    refund = wf.refund("requested")
    reason = "太长" * 300

    response = merchant_client.post(
        reverse("seller-refund-reject", args=[refund.pk]), {"reason": reason}
    )

    assert response.status_code == 400
    assert reason in response.content.decode()
    refund.refresh_from_db()
    assert refund.state == RefundState.REQUESTED


def test_the_low_value_advice_shows_on_a_cheap_request_only(wf, merchant_client, shop):
    cheap = Product.objects.create(shop=shop, title="Soap", price=Decimal("39.72"))
    refund = wf.refund("requested", order=wf.order(product=cheap))
    dear = wf.refund("requested")

    advice = "退款不退货"
    cheap_page = merchant_client.get(reverse("seller-refund", args=[refund.pk])).content.decode()
    dear_page = merchant_client.get(reverse("seller-refund", args=[dear.pk])).content.decode()

    assert 'class="card advice"' in cheap_page and advice in cheap_page
    assert 'class="card advice"' not in dear_page


def test_conceding_during_an_intervention_refunds_the_buyer(wf, merchant_client):
    intervention = wf.intervention("under_review")

    merchant_client.post(reverse("seller-refund-concede", args=[intervention.refund_id]))

    intervention.refresh_from_db()
    assert intervention.refund.state == RefundState.REFUNDED
    assert intervention.state == "resolved_by_merchant"


def test_evidence_is_accepted_while_the_window_is_open(wf, merchant_client):
    intervention = wf.intervention("awaiting_evidence")

    merchant_client.post(
        reverse("seller-case-evidence", args=[intervention.refund_id]),
        {"statement": "The parcel left intact: photos at the depot."},
    )

    intervention.refresh_from_db()
    assert intervention.merchant_statement == "The parcel left intact: photos at the depot."


def test_shipping_an_order_with_a_tracking_number(wf, merchant_client):
    order = wf.order("paid")

    merchant_client.post(reverse("seller-order-ship", args=[order.pk]), {"tracking_number": "SF9"})

    order.refresh_from_db()
    assert (order.state, order.tracking_number) == ("shipped", "SF9")


def test_a_product_is_created_edited_and_published(merchant_client, shop):
    merchant_client.post(reverse("seller-product-create"), {"title": "雨伞", "price": "29.90"})
    product = Product.objects.get(shop=shop, title="雨伞")

    merchant_client.post(
        reverse("seller-product-edit", args=[product.pk]), {"title": "晴雨伞", "price": "31.00"}
    )
    merchant_client.post(reverse("seller-product-unpublish", args=[product.pk]))
    product.refresh_from_db()
    assert (product.title, product.price, product.is_published) == (
        "晴雨伞",
        Decimal("31.00"),
        False,
    )

    merchant_client.post(reverse("seller-product-publish", args=[product.pk]))
    product.refresh_from_db()
    assert product.is_published


def test_a_product_form_submitted_twice_acts_once(merchant_client, product):
    url = reverse("seller-product-edit", args=[product.pk])
    first = merchant_client.post(url, {"title": "晴雨伞", "price": "31.00", "form_token": "f1"})
    # the same form again (a double click, or back and submit), with other values typed
    second = merchant_client.post(url, {"title": "雨伞", "price": "9.00", "form_token": "f1"})

    product.refresh_from_db()
    assert (product.title, product.price) == ("晴雨伞", Decimal("31.00"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("seller-products")


def test_a_restricted_shop_is_told_why_it_cannot_list_a_product(wf, merchant_client, shop):
    lose_disputes(wf, 2)
    shop.refresh_from_db()
    assert shop.is_restricted()

    response = merchant_client.post(
        reverse("seller-product-create"), {"title": "雨伞", "price": "29.90"}
    )

    assert response.status_code == 403  # a refusal of who may act, not of what was typed
    until = f"{timezone.localtime(shop.restricted_until):%Y-%m-%d %H:%M}"
    assert (
        f"店铺“{shop.name}”因扣分达到门槛，被限制至 {until}：在此之前不能新建或上架商品。"
        in response.content.decode()
    )
    assert not Product.objects.filter(title="雨伞").exists()


def test_the_dashboard_shows_the_points_the_record_and_the_appeal_button(wf, merchant_client):
    ruling = wf.intervention("ruled").ruling

    page = merchant_client.get(reverse("penalty-dashboard")).content.decode()

    assert "<strong>2</strong> / 12" in page
    assert ruling.rationale in page
    assert reverse("seller-ruling-appeal", args=[ruling.pk]) in page


def test_the_dashboard_shows_a_supervisors_adjustments_with_their_reasons(
    shop, supervisor, merchant
):
    shop_points_adjust(shop=shop, actor=supervisor, points=3, reason="Fake shipping numbers")
    shop_points_adjust(shop=shop, actor=supervisor, points=-1, reason="One was the courier's")

    page = client_for(merchant, "en").get(reverse("penalty-dashboard")).content.decode()

    assert page.count("Adjusted by a platform supervisor") == 2
    assert '<strong class="points">−3</strong>' in page
    assert '<strong class="points">+1</strong>' in page
    assert "Reason: One was the courier&#39;s" in page
    assert "<strong>2</strong> / 12" in page


def test_appealing_a_ruling_from_its_page(wf, merchant_client):
    ruling = wf.intervention("ruled").ruling
    url = reverse("seller-ruling-appeal", args=[ruling.pk])

    merchant_client.post(url, {"statement": "The courier's photos show the box intact."})

    ruling.refresh_from_db()
    assert ruling.appeal.statement == "The courier's photos show the box intact."
    page = merchant_client.get(url).content.decode()
    assert "只能申诉一次" in page or "once" in page


def test_the_personal_center_offers_the_seller_center_to_shop_staff_only(merchant, buyer):
    seller_link = reverse("seller-queue")

    assert seller_link in client_for(merchant).get(reverse("personal-center")).content.decode()
    assert seller_link not in client_for(buyer).get(reverse("personal-center")).content.decode()

"""The buyer's pages through Django's test client: access, refusals, uploads, double submits,
and constant query counts on the list pages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from core.notices import notice
from core.services import notify
from disputes.models import RefundRequest, RefundState
from tests import factories

pytestmark = pytest.mark.django_db


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def client_for(user, language="zh-CN") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# --- another buyer's pages are 404 -------------------------------------------------------------


@pytest.fixture
def stranger():
    return client_for(factories.UserFactory(username="stranger"))


def test_another_buyers_order_is_404(now_wf, stranger):
    order = now_wf.order("shipped")

    assert stranger.get(reverse("order-detail", args=[order.pk])).status_code == 404
    assert stranger.post(reverse("order-confirm-receipt", args=[order.pk])).status_code == 404
    assert stranger.get(reverse("refund-new", args=[order.pk])).status_code == 404


def test_another_buyers_refund_is_404(now_wf, stranger):
    refund = now_wf.refund("rejected")

    for name in ("refund-detail", "refund-revise", "refund-escalate", "refund-evidence"):
        assert stranger.get(reverse(name, args=[refund.pk])).status_code == 404, name
    assert stranger.post(reverse("refund-cancel", args=[refund.pk])).status_code == 404
    refund.refresh_from_db()
    assert refund.state == "rejected"


def test_another_buyers_intervention_is_404(now_wf, stranger):
    intervention = now_wf.intervention("awaiting_evidence")

    url = reverse("intervention-detail", args=[intervention.pk])
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"statement": "mine now"}).status_code == 404


def test_the_shops_staff_do_not_see_the_buyer_pages_of_their_orders(now_wf, store):
    refund = now_wf.refund("requested")
    merchant = client_for(store[1])

    assert merchant.get(reverse("refund-detail", args=[refund.pk])).status_code == 404
    assert merchant.get(reverse("order-detail", args=[refund.order_id])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(now_wf):
    refund = now_wf.refund("requested")

    response = Client().get(reverse("refund-detail", args=[refund.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- what the buyer may do is what the policy says ----------------------------------------------


def test_apply_for_intervention_appears_only_once_the_shop_has_rejected(now_wf, buyer_client):
    from disputes import services as ds

    refund = now_wf.refund("requested")
    url = reverse("refund-detail", args=[refund.pk])
    before = buyer_client.get(url).content.decode()
    ds.refund_reject(refund=refund, actor=now_wf.merchant, reason="Used")
    after = buyer_client.get(url).content.decode()

    assert "申请平台介入" not in before
    assert "申请平台介入" in after
    assert reverse("refund-escalate", args=[refund.pk]) in after


def test_a_refused_action_shows_the_services_reason(now_wf, buyer_client):
    refund = now_wf.refund("refunded")

    response = buyer_client.post(reverse("refund-cancel", args=[refund.pk]), follow=True)

    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    with translation.override("zh-hans"):
        refunded = str(RefundState.REFUNDED.label)
    assert text == f"当前状态为“{refunded}”，无法进行此操作。"
    refund.refresh_from_db()
    assert refund.state == "refunded"


def test_escalating_after_the_window_is_refused_with_a_message(now_wf, buyer_client):
    from datetime import timedelta

    from disputes import services as ds

    refund = now_wf.refund("requested")
    past = now_wf.now - timedelta(days=30)
    RefundRequest.objects.filter(pk=refund.pk).update(state="requested")
    ds.refund_reject(refund=refund, actor=now_wf.merchant, reason="Used", now=past)

    response = buyer_client.post(
        reverse("refund-escalate", args=[refund.pk]), {"statement": "please help"}
    )

    assert response.status_code == 200
    assert "please help" in response.content.decode()  # the typed statement is kept
    deadline = RefundRequest.objects.get(pk=refund.pk).deadline
    deadline = f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"
    assert f"申请平台介入的期限已于 {deadline} 截止。" in response.content.decode()
    refund.refresh_from_db()
    assert refund.state == "rejected"


def test_filing_a_refund_with_a_non_image_keeps_what_was_typed(now_wf, buyer_client):
    order = now_wf.order("shipped")
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")

    response = buyer_client.post(
        reverse("refund-new", args=[order.pk]),
        {
            "kind": "refund_only",
            "reason": "quality_problem",
            "amount": "80.00",
            "description": "The zip came off on day one",
            "image": [fake],
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].errors["image"]
    assert "The zip came off on day one" in page
    assert 'value="80.00"' in page
    assert not RefundRequest.objects.filter(order=order).exists()


def test_a_refused_request_says_its_chosen_photos_were_not_saved_beside_their_field(
    now_wf, buyer_client
):
    order = now_wf.order("shipped")

    response = buyer_client.post(
        reverse("refund-new", args=[order.pk]),
        {
            "kind": "refund_only",
            "reason": "quality_problem",
            "amount": "999.00",  # more than was paid: refused
            "description": "拉链坏了",
            "image": [png("a.png"), png("b.png"), png("c.png")],
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<div class="helptext" id="id_image_helptext">最多 9 张，JPEG、PNG 或 WebP 格式，'
        "每张不超过 5 MB。 <strong>您选的 3 张照片没有保存，请重新选择。</strong></div>"
    ) in page
    assert 'aria-describedby="id_image_helptext"' in page
    assert "拉链坏了" in page
    assert not RefundRequest.objects.filter(order=order).exists()


def test_a_request_without_photos_is_not_told_to_choose_them_again(now_wf, buyer_client):
    order = now_wf.order("shipped")

    response = buyer_client.post(
        reverse("refund-new", args=[order.pk]),
        {"kind": "refund_only", "reason": "quality_problem", "amount": "999.00"},
    )

    assert "重新选择" not in response.content.decode()


def test_a_too_long_description_is_refused_in_our_words_with_the_count_beside_it(
    now_wf, buyer_client
):
    order = now_wf.order("shipped")

    response = buyer_client.post(
        reverse("refund-new", args=[order.pk]),
        {
            "kind": "refund_only",
            "reason": "quality_problem",
            "amount": "10.00",
            "description": "坏" * 612,
        },
    )

    page = response.content.decode()
    assert "问题描述最多 500 个字。" in page
    assert "<span data-counter>最多 500 字，已写 612 字。</span>" in page
    assert "确保该变量" not in page
    assert not RefundRequest.objects.filter(order=order).exists()


def test_a_description_counts_each_line_break_once_as_its_textarea_did(now_wf, buyer_client):
    order = now_wf.order("shipped")
    # 490 characters and 10 line breaks: 500 in the textarea, 510 as the browser sends them
    text = "\r\n".join(["坏" * 49] * 10) + "\r\n"

    response = buyer_client.post(
        reverse("refund-new", args=[order.pk]),
        {
            "kind": "refund_only",
            "reason": "quality_problem",
            "amount": "10.00",
            "description": "好" + text,
        },
    )

    assert response.status_code == 302
    refund = RefundRequest.objects.get(order=order)
    assert "\r" not in refund.description
    assert len(refund.description) == 500


def test_the_request_form_says_how_much_may_be_written_before_anything_is(now_wf, buyer_client):
    page = buyer_client.get(reverse("refund-new", args=[now_wf.order("shipped").pk]))

    assert "<span data-counter>最多 500 字。</span>" in page.content.decode()


def test_filing_a_refund_with_images_stores_them(now_wf, buyer_client):
    order = now_wf.order("shipped")

    response = buyer_client.post(
        reverse("refund-new", args=[order.pk]),
        {
            "kind": "refund_only",
            "reason": "quality_problem",
            "amount": "100.00",
            "description": "",
            "image": [png("a.png"), png("b.png")],
        },
    )

    refund = RefundRequest.objects.get(order=order)
    assert response.status_code == 302
    assert response["Location"] == reverse("refund-detail", args=[refund.pk])
    assert refund.evidence.count() == 2


def test_the_request_form_is_prefilled_with_what_is_refundable(now_wf, buyer_client):
    order = now_wf.order("shipped", quantity=2)

    response = buyer_client.get(reverse("refund-new", args=[order.pk]))

    assert response.context["form"]["amount"].value() == order.refundable_amount
    assert 'maxlength="500"' in response.content.decode()


def test_a_request_form_submitted_twice_files_once(now_wf, buyer_client):
    order = now_wf.order("shipped")
    data = {
        "kind": "refund_only",
        "reason": "quality_problem",
        "amount": "100.00",
        "form_token": "same-form",
    }

    first = buyer_client.post(reverse("refund-new", args=[order.pk]), data)
    second = buyer_client.post(reverse("refund-new", args=[order.pk]), data)

    assert RefundRequest.objects.filter(order=order).count() == 1
    assert first["Location"] == second["Location"]


def test_the_buyer_ships_the_return_with_a_courier_and_a_tracking_number(now_wf, buyer_client):
    refund = now_wf.refund("awaiting_return")
    page = buyer_client.get(reverse("refund-detail", args=[refund.pk])).content.decode()
    assert "填写退货物流" in page
    assert "8 Cangqian Street, returns depot" in page  # where to send it
    assert "顺丰速运" in page

    buyer_client.post(
        reverse("refund-ship-return", args=[refund.pk]),
        {"courier": "sf", "tracking_number": "SF123"},
    )

    refund.refresh_from_db()
    assert refund.state == "return_shipped"
    assert (refund.return_courier, refund.return_tracking_number) == ("sf", "SF123")
    page = buyer_client.get(reverse("refund-detail", args=[refund.pk])).content.decode()
    assert "顺丰速运" in page and "SF123" in page


def test_shipping_a_return_without_a_courier_is_refused_beside_it_keeping_the_number(
    now_wf, buyer_client
):
    refund = now_wf.refund("awaiting_return")

    response = buyer_client.post(
        reverse("refund-ship-return", args=[refund.pk]), {"courier": "", "tracking_number": "SF9"}
    )

    assert response.status_code == 400
    form = response.context["ship_form"]
    assert list(form.errors) == ["courier"]
    assert 'value="SF9"' in response.content.decode()
    refund.refresh_from_db()
    assert refund.state == "awaiting_return"


def test_the_return_address_reads_as_three_pieces_to_copy(now_wf, buyer_client):
    refund = now_wf.refund("awaiting_return")

    page = buyer_client.get(reverse("refund-detail", args=[refund.pk])).content.decode()

    for piece in (
        "Wang Li",
        "13800138000",
        "Zhejiang Hangzhou Yuhang 8 Cangqian Street, returns depot",
    ):
        assert f'<span class="copyable">{piece}</span>' in page


def test_the_buyer_gives_case_evidence_while_the_window_is_open(now_wf, buyer_client):
    intervention = now_wf.intervention("awaiting_evidence")
    url = reverse("intervention-detail", args=[intervention.pk])
    assert "提交给平台" in buyer_client.get(url).content.decode()

    response = buyer_client.post(url, {"statement": "Here is more", "image": [png()]})

    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.buyer_statement == "Here is more"
    assert intervention.refund.evidence.filter(intervention=intervention).count() == 1


# --- constant query counts on the list pages ---------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_my_orders_runs_the_same_queries_for_1_and_50_orders(now_wf, buyer_client):
    now_wf.refund("requested")
    one = _queries(buyer_client, reverse("order-list"))
    for _ in range(24):
        now_wf.refund("requested")
    for _ in range(25):
        now_wf.order("paid")

    assert _queries(buyer_client, reverse("order-list")) == one


def test_my_orders_pages_by_the_tabs_counts_without_a_count_query_of_its_own(now_wf, buyer_client):
    for _ in range(21):
        now_wf.order("paid")
    now_wf.order("pending_payment")

    with CaptureQueriesContext(connection) as captured:
        page = buyer_client.get(reverse("order-list"), {"tab": "paid", "page": 2}).content.decode()

    order_queries = [q["sql"] for q in captured if 'FROM "orders_order"' in q["sql"]]
    assert len(order_queries) == 2  # the tabs' grouped counts and the page's rows
    assert not any("COUNT(*)" in sql for sql in order_queries)
    # each order's newest after-sales request comes with its row, not by a query of its own
    assert not [q for q in captured if q["sql"].startswith('SELECT "disputes_refundrequest"')]
    assert page.count('class="card"') == 1  # the 21st order of the tab, on page 2
    assert "第 2 页，共 2 页" in page


def test_the_after_sales_history_reads_its_steps_in_one_query_without_the_actors(
    now_wf, buyer_client
):
    from disputes import services as ds

    refund = now_wf.refund("requested")
    ds.refund_reject(refund=refund, actor=now_wf.merchant, reason="Used")

    with CaptureQueriesContext(connection) as captured:
        page = buyer_client.get(reverse("refund-detail", args=[refund.pk])).content.decode()

    audit = [q["sql"] for q in captured if 'FROM "core_auditentry"' in q["sql"]]
    assert len(audit) == 1
    assert "auth_user" not in audit[0]
    assert page.count("<li>\n    <div><strong>") == 2  # filed, then rejected by the shop


def test_my_orders_shows_each_orders_newest_after_sales_request(now_wf, buyer_client):
    from disputes import services as ds

    order = now_wf.order("delivered")
    ds.refund_cancel(refund=now_wf.refund("requested", order=order), actor=order.buyer)
    newest = now_wf.refund("requested", order=order)
    now_wf.order("paid")  # no request

    page = buyer_client.get(reverse("order-list")).content.decode()

    assert page.count('class="row refund-line"') == 1
    assert (
        f'<span>售后：待商家处理</span><a href="{reverse("refund-detail", args=[newest.pk])}">'
        in page
    )


def test_the_after_sales_page_asks_the_policies_only_about_the_buyers_own_actions(
    now_wf, buyer_client
):
    from disputes import services as ds

    refund = now_wf.refund("requested")
    ds.refund_reject(refund=refund, actor=now_wf.merchant, reason="Used")

    with CaptureQueriesContext(connection) as captured:
        response = buyer_client.get(reverse("refund-detail", args=[refund.pk]))

    assert response.context["actions"] == ["escalate", "revise", "cancel"]
    # the shop's actions (approve, reject, …) would look up whether the buyer staffs the shop
    assert not [q for q in captured if "merchants_shopstaff" in q["sql"]]


def test_the_catalogue_runs_the_same_queries_for_1_and_50_products(store, zh_client):
    one = _queries(zh_client, reverse("home"))
    for n in range(49):
        factories.ProductFactory(shop=factories.ShopFactory(), title=f"P{n}")

    assert _queries(zh_client, reverse("home")) == one


def test_the_personal_center_runs_the_same_queries_for_1_and_50_requests(now_wf, buyer_client):
    now_wf.refund("requested")
    one = _queries(buyer_client, reverse("personal-center"))
    for _ in range(49):
        now_wf.refund("requested")

    assert _queries(buyer_client, reverse("personal-center")) == one


def test_the_messages_page_runs_the_same_queries_for_1_and_50(now_wf, buyer, buyer_client):
    refund = now_wf.refund("requested")
    notify(recipients=[buyer], kind="refunded", message=notice("one"), target=refund)
    one = _queries(buyer_client, reverse("notification-list"))
    for n in range(49):
        notify(recipients=[buyer], kind="refunded", message=notice(f"n{n}"), target=refund)

    assert _queries(buyer_client, reverse("notification-list")) == one


def test_the_after_sales_page_runs_the_same_queries_for_1_and_9_images(now_wf, buyer_client):
    from disputes import services as ds

    refund = now_wf.refund("requested")
    ds.refund_add_evidence(refund=refund, actor=now_wf.buyer, images=[png()])
    url = reverse("refund-detail", args=[refund.pk])
    one = _queries(buyer_client, url)
    ds.refund_add_evidence(refund=refund, actor=now_wf.buyer, images=[png() for _ in range(8)])

    assert _queries(buyer_client, url) == one


# --- evidence files and where notifications lead -------------------------------------------------


@pytest.fixture
def evidence(now_wf):
    from disputes import services as ds

    refund = now_wf.refund("requested")
    return ds.refund_add_evidence(refund=refund, actor=now_wf.buyer, images=[png()])[0]


def test_another_buyers_evidence_file_is_404(evidence, stranger, buyer_client):
    url = reverse("evidence-file", args=[evidence.pk])

    assert buyer_client.get(url).status_code == 200
    assert stranger.get(url).status_code == 404


def test_an_anonymous_request_for_an_evidence_file_is_404(evidence):
    assert Client().get(reverse("evidence-file", args=[evidence.pk])).status_code == 404


def test_a_notification_leads_the_buyer_to_the_buyer_page_and_the_shop_to_the_seller_page(
    now_wf, buyer_client, store
):
    refund = now_wf.refund("requested")
    url = reverse("refund-open", args=[refund.pk])

    assert buyer_client.get(url)["Location"] == reverse("refund-detail", args=[refund.pk])
    assert client_for(store[1]).get(url)["Location"] == reverse("seller-refund", args=[refund.pk])


def test_a_notification_link_is_404_for_anyone_else(now_wf, stranger):
    intervention = now_wf.intervention("awaiting_evidence")

    assert stranger.get(reverse("refund-open", args=[intervention.refund_id])).status_code == 404
    assert stranger.get(reverse("intervention-open", args=[intervention.pk])).status_code == 404


def test_the_personal_center_of_a_merchant_links_to_the_seller_center(store):
    page = client_for(store[1]).get(reverse("personal-center")).content.decode()

    assert reverse("seller-queue") in page
    assert reverse("penalty-dashboard") in page


# --- 退款/售后, the buyer's own requests -------------------------------------------------------------


def test_the_after_sales_list_runs_the_same_queries_for_1_and_30_requests(now_wf, buyer_client):
    now_wf.refund("requested")
    one = _queries(buyer_client, reverse("refund-list"))
    for state in ("rejected", "refunded", "cancelled") * 10:
        now_wf.refund(state)

    assert _queries(buyer_client, reverse("refund-list")) == one


def test_the_after_sales_list_shows_only_the_buyers_own_requests_newest_first_by_pages(
    now_wf, buyer_client, store
):
    mine = [now_wf.refund("requested") for _ in range(21)]
    other = factories.UserFactory(username="other-buyer")
    other_order = now_wf.order("shipped")
    other_order.buyer = other
    other_order.save(update_fields=["buyer"])

    first = buyer_client.get(reverse("refund-list")).content.decode()
    second = buyer_client.get(reverse("refund-list"), {"page": 2}).content.decode()

    assert first.count(">售后详情</a>") == 20
    assert reverse("refund-detail", args=[mine[-1].pk]) + '"' in first  # the newest first
    assert reverse("refund-detail", args=[mine[0].pk]) + '"' in second
    assert second.count(">售后详情</a>") == 1
    assert "Wool Jacket × 1" in first
    assert "第 2 页，共 2 页" in second


def test_the_orders_tabs_and_the_personal_center_lead_to_the_after_sales_list(buyer_client):
    href = f'href="{reverse("refund-list")}"'

    assert href in buyer_client.get(reverse("order-list")).content.decode()
    assert href in buyer_client.get(reverse("personal-center")).content.decode()
    page = buyer_client.get(reverse("refund-list")).content.decode()
    assert f'{href} aria-current="page">退款/售后</a>' in page
    assert "没有售后申请。" in page


# --- the order page once the after-sales window passed ---------------------------------------


def test_an_order_past_its_after_sales_window_says_why_and_until_when(now_wf, buyer_client):
    from datetime import timedelta

    completed_at = timezone.now() - timedelta(days=16)
    order = now_wf.order("completed", at=completed_at)

    page = buyer_client.get(reverse("order-detail", args=[order.pk])).content.decode()

    until = timezone.localtime(completed_at + timedelta(days=15))
    assert reverse("refund-new", args=[order.pk]) not in page
    assert f"该订单的售后期已于 {until:%Y-%m-%d %H:%M} 结束：确认收货后 15 天内可申请售后。" in page


def test_an_order_within_its_window_offers_after_sales_without_that_note(now_wf, buyer_client):
    from datetime import timedelta

    order = now_wf.order("completed", at=timezone.now() - timedelta(days=14))

    page = buyer_client.get(reverse("order-detail", args=[order.pk])).content.decode()

    assert reverse("refund-new", args=[order.pk]) in page
    assert "售后期已于" not in page

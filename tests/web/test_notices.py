"""Every notice says what a reader needs to act: the goods and the order it is about, what
happened, what they may do and by when, and a link to the page where they do it — their own
page (the buyer's request page or order, the shop's request page, appeal page or dashboard),
which opens for them. Over every declared kind of notification, in both languages, on the page,
in the API and in the e-mail; old rows still read."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Notification
from core.outbox import outbox_relay, run_here
from core.services import user_language_set
from core.vocabulary import notification_choices
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import AppealDecision, RefundKind, RulingOutcome
from disputes.reminders import deadline_reminders_send
from merchants.services import product_add_images
from penalties import services as ps
from penalties.models import Restriction
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db

GOODS = "Jacket"  # the `product` fixture's title, as the order's snapshot keeps it


def client_for(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# --- how each kind of notice comes about, in each of its forms --------------------------------


def _appealed(wf):
    ruling = wf.rule_against_merchant(wf.intervention("under_review"))
    return ds.ruling_appeal(ruling=ruling, actor=wf.merchant, statement="new photos", now=wf.now)


def _offered(wf, *, return_required=False):
    refund = wf.file(kind=RefundKind.RETURN_AND_REFUND)
    wf.offer(refund, return_required=return_required)
    refund.refresh_from_db()
    return refund


def _restricted(wf):
    """Two rulings of the most points one may give reach the threshold (12)."""
    for _ in range(2):
        wf.rule_against_merchant(wf.intervention("under_review"), penalty_points=6)


STORIES: dict[str, list[Callable]] = {
    "refund_filed": [lambda wf: wf.file()],
    "refund_auto_approved": [
        lambda wf: enforce_deadlines(now=wf.file().deadline + timedelta(seconds=1)),
        lambda wf: enforce_deadlines(
            now=wf.file(kind=RefundKind.RETURN_AND_REFUND).deadline + timedelta(seconds=1)
        ),
    ],
    "refund_closed": [lambda wf: wf.refund("closed")],
    "refund_rejected": [lambda wf: wf.refund("rejected")],
    "refund_revised": [
        lambda wf: ds.refund_revise(
            refund=wf.refund("rejected"),
            actor=wf.buyer,
            amount=50,
            reason="quality_problem",
            now=wf.now,
        )
    ],
    "offer_made": [_offered, lambda wf: _offered(wf, return_required=True)],
    "offer_accepted": [
        lambda wf: ds.refund_accept_offer(refund=_offered(wf), actor=wf.buyer, now=wf.now),
        lambda wf: ds.refund_accept_offer(
            refund=_offered(wf, return_required=True), actor=wf.buyer, now=wf.now
        ),
    ],
    "offer_declined": [
        lambda wf: ds.refund_decline_offer(refund=_offered(wf), actor=wf.buyer, now=wf.now)
    ],
    "refund_cancelled": [lambda wf: wf.refund("cancelled")],
    "return_requested": [lambda wf: wf.refund("awaiting_return")],
    "return_shipped": [lambda wf: wf.refund("return_shipped")],
    "refunded": [lambda wf: wf.refund("refunded")],
    "intervention_opened": [lambda wf: wf.refund("in_intervention")],
    "ruling": [
        lambda wf: wf.intervention("ruled"),
        lambda wf: wf.rule_against_merchant(
            wf.intervention("under_review"),
            outcome=RulingOutcome.MERCHANT_WINS,
            merchant_responsible=False,
        ),
        lambda wf: wf.rule_against_merchant(
            wf.intervention("under_review", order=wf.order("delivered")), return_required=True
        ),
    ],
    "appeal": [_appealed],
    "appeal_decided": [
        lambda wf: ds.appeal_decide(
            appeal=_appealed(wf),
            actor=wf.supervisor,
            decision=AppealDecision.OVERTURN,
            note="The photos were of another jacket.",
            now=wf.now,
        )
    ],
    "deadline_reminder": [
        lambda wf: deadline_reminders_send(now=wf.file().deadline - timedelta(hours=23)),
        lambda wf: deadline_reminders_send(
            now=wf.refund("rejected").deadline - timedelta(hours=23)
        ),
        lambda wf: deadline_reminders_send(
            now=wf.intervention("awaiting_evidence").evidence_deadline - timedelta(hours=23)
        ),
    ],
    "refund_message": [
        lambda wf: wf.message(wf.file(), wf.buyer, "Is it on its way?"),
        lambda wf: wf.message(wf.file(), wf.merchant, "Please send a photo."),
    ],
    "penalty": [lambda wf: wf.intervention("ruled")],
    "restriction": [_restricted],
}


def _notices_of(kind: str, wf, story) -> list[Notification]:
    product_add_images(product=wf.product, images=[upload(image_bytes(), "cover.png")])
    story(wf)
    notices = list(Notification.objects.filter(kind=kind).select_related("recipient"))
    assert notices, f"the story of {kind!r} wrote no notice of that kind"
    return notices


def _stories():
    for kind, _words in notification_choices():
        for n, story in enumerate(STORIES.get(kind, [None])):
            yield pytest.param(kind, story, id=f"{kind}-{n}")


@pytest.mark.parametrize(("kind", "story"), list(_stories()))
def test_every_kind_of_notice_names_the_goods_and_the_order_and_links_to_the_readers_page(
    wf, kind, story
):
    assert story is not None, f"a new kind of notice, {kind!r}: tell its story in STORIES"
    for note in _notices_of(kind, wf, story):
        with translation.override("zh-hans"):
            chinese = note.text
        with translation.override("en"):
            english = note.text
        number = note.params["order"]
        for text in (chinese, english):
            assert GOODS in text and number in text, (kind, text)
            assert not re.search(r"%\(|—|#\d", text), (kind, text)  # no code, no lost part
        assert f"「{GOODS}」（订单 {number}）" in chinese
        assert f"“{GOODS}” (order {number})" in english

        staff = note.recipient != wf.buyer
        assert note.link.startswith("/seller/") == staff, (kind, note.link)
        page = client_for(note.recipient, "zh-CN").get(note.link)
        assert page.status_code == 200, (kind, note.link)
        assert number in page.content.decode(), (kind, note.link)
        assert client_for(note.recipient, "zh-CN").get(note.picture).status_code == 200


def test_a_notice_of_the_shop_itself_links_to_the_dashboard(wf, supervisor, merchant):
    """A supervisor's adjustment, a restriction lifted or run out: about the shop, no order."""
    ps.shop_points_adjust(shop=wf.product.shop, actor=supervisor, points=12, reason="Fake goods")
    restriction = Restriction.objects.get()
    ps.restriction_lift(restriction=restriction, actor=supervisor, reason="Appeal by phone")

    notices = list(Notification.objects.filter(recipient=merchant))
    assert {n.kind for n in notices} == {"penalty", "restriction"} and len(notices) == 3
    for note in notices:
        assert note.link == reverse("penalty-dashboard")
        assert note.picture is None
    assert client_for(merchant, "zh-CN").get(reverse("penalty-dashboard")).status_code == 200


# --- the messages page, the API and the e-mail ---------------------------------------------------


def test_the_messages_page_shows_the_goods_picture_the_text_and_the_link(wf, buyer, product):
    product_add_images(product=product, images=[upload(image_bytes(), "cover.png")])
    refund = wf.refund("rejected")

    page = client_for(buyer, "zh-CN").get(reverse("notification-list")).content.decode()

    [image] = refund.order.items.get().images.all()
    assert f'<img class="notice-picture" src="{reverse("snapshot-image", args=[image.pk])}"' in page
    assert f"商家已拒绝您对「{GOODS}」（订单 {refund.order.number}）的退款申请" in page
    assert f'href="{reverse("refund-detail", args=[refund.pk])}"' in page


def test_a_notice_of_goods_without_a_snapshot_picture_shows_the_products_cover(wf, product):
    refund = wf.file()  # sold with no picture
    [cover] = product_add_images(product=product, images=[upload(image_bytes(), "later.png")])
    ds.refund_reject(refund=refund, actor=wf.merchant, reason="used", now=wf.now)

    note = Notification.objects.get(kind="refund_rejected")

    assert note.picture == reverse("product-image", args=[cover.served_name])


def test_the_api_gives_each_notice_its_link_and_picture(wf, buyer, product):
    product_add_images(product=product, images=[upload(image_bytes(), "cover.png")])
    refund = wf.refund("rejected")
    client = client_for(buyer, "en")

    [answer] = client.get("/api/v1/notifications/").json()["results"]

    assert answer["link"] == reverse("refund-detail", args=[refund.pk])
    assert answer["picture"].startswith("/snapshot-images/")
    assert f"“{GOODS}” (order {refund.order.number})" in answer["message"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", f"商家已拒绝您对「{GOODS}」"),
        ("en", f"The shop rejected your request on “{GOODS}”"),
    ],
)
def test_the_email_names_the_goods_and_the_order_and_links_to_the_readers_page(
    wf, buyer, language, words
):
    user_language_set(user=buyer, language=language)
    refund = wf.refund("rejected")

    outbox_relay(hand_over=run_here)

    [email] = [m for m in mail.outbox if m.to == [buyer.email]]
    link = settings.SITE_URL + reverse("refund-detail", args=[refund.pk])
    assert words in email.subject and words in email.body
    assert refund.order.number in email.body
    assert re.search(rf"{re.escape(link)}\s*$", email.body, re.MULTILINE)


def test_the_shops_email_links_to_its_own_request_page(wf, merchant):
    refund = wf.file()

    outbox_relay(hand_over=run_here)

    [email] = [m for m in mail.outbox if m.to == [merchant.email]]
    assert settings.SITE_URL + reverse("seller-refund", args=[refund.pk]) in email.body
    assert f"「{GOODS}」（订单 {refund.order.number}）有新的售后申请" in email.body


def test_the_messages_page_runs_the_same_queries_for_1_and_many_notices(wf, buyer, product):
    product_add_images(product=product, images=[upload(image_bytes(), "cover.png")])
    wf.refund("rejected")
    client = client_for(buyer, "zh-CN")
    url = reverse("notification-list")

    def queries() -> int:
        client.get(url)  # the first view marks them read: count a steady page
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for _ in range(6):
        wf.refund("rejected")
    wf.refund("closed")

    assert Notification.objects.filter(recipient=buyer).count() > 8
    assert queries() == one


# --- notices written before: they read, whatever they lack --------------------------------------


def _stored(buyer, refund, message: str, params: dict) -> Notification:
    return Notification.objects.create(
        recipient=buyer,
        kind="refund_rejected",
        message=message,
        params=params,
        target_type=ContentType.objects.get_for_model(refund),
        target_id=refund.pk,
    )


def test_a_notice_stored_with_its_former_words_still_reads_in_chinese_and_leads_on(
    wf, buyer, product
):
    refund = wf.file()
    old = _stored(
        buyer,
        refund,
        "The shop rejected your request: “%(reason)s”. Edit it or apply for platform "
        "intervention by %(deadline)s.",
        {"reason": "used", "deadline": {"moment": "2026-06-08T03:00:00+00:00"}},
    )

    with translation.override("zh-hans"):
        assert (
            old.text == "商家已拒绝退款：“used”。请在 2026-06-08 11:00 前修改申请或申请平台介入。"
        )
    assert old.link == reverse("refund-open", args=[refund.pk])
    assert old.picture is None
    page = client_for(buyer, "zh-CN").get(reverse("notification-list"))
    assert "商家已拒绝退款：“used”" in page.content.decode()


def test_a_shops_notice_stored_before_notices_named_their_page_leads_to_the_dashboard(
    merchant, shop
):
    old = Notification.objects.create(
        recipient=merchant,
        kind="restriction",
        message="A restriction on your shop has ended.",
        params={},
        target_type=ContentType.objects.get_for_model(shop),
        target_id=shop.pk,
    )

    with translation.override("zh-hans"):
        assert old.text == "店铺限制已结束。"
    assert old.link == reverse("penalty-dashboard")


def test_a_notice_missing_a_parameter_its_words_name_reads_with_a_dash(wf, buyer):
    refund = wf.file()
    old = _stored(
        buyer,
        refund,
        "The shop rejected your request on “%(goods)s” (order %(order)s): “%(reason)s”. Edit it "
        "or apply for platform intervention by %(deadline)s, or the request closes.",
        {"reason": "used"},
    )

    with translation.override("en"):
        assert old.text.startswith("The shop rejected your request on “—” (order —): “used”.")
    with translation.override("zh-hans"):
        assert "「—」（订单 —）" in old.text


def test_a_ruling_that_wants_the_goods_back_tells_the_buyer_by_when(wf, buyer, merchant):
    case = wf.intervention("under_review", order=wf.order("delivered"))
    wf.rule_against_merchant(case, return_required=True)
    case.refund.refresh_from_db()

    to_buyer = Notification.objects.get(kind="ruling", recipient=buyer)
    to_shop = Notification.objects.get(kind="ruling", recipient=merchant)

    with translation.override("zh-hans"):
        deadline = f"{timezone.localtime(case.refund.deadline):%Y-%m-%d %H:%M}"
        assert f"请在 {deadline} 前寄回商品并填写退货物流，即可退款。" in to_buyer.text
        assert "您可以在" in to_shop.text and "前申诉一次" in to_shop.text

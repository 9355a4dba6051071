"""A notification reads in its reader's language: the page's, the API request's, or for its
e-mail the recipient's; the stored row stays the same whichever language reads it."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from core.emails import notification_email_send
from core.models import Notification
from core.outbox import outbox_relay, run_here
from core.services import user_language_set
from disputes import services as ds
from disputes.reminders import deadline_reminders_send

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


@pytest.fixture
def rejected(wf, merchant):
    refund = wf.file()
    return ds.refund_reject(refund=refund, actor=merchant, reason="used", now=wf.later(hours=1))


def emails_of(notification: Notification) -> list:
    return [
        m
        for m in mail.outbox
        if m.extra_headers["X-Aftersales-Notification"] == str(notification.pk)
    ]


def test_a_chinese_buyer_reads_the_rejection_in_chinese_on_the_page_and_in_the_email(
    rejected, buyer, buyer_client
):
    number = rejected.order.number
    zh = (
        f"商家已拒绝您对「Jacket」（订单 {number}）的退款申请：“used”。"
        f"请在 {local(rejected.deadline)} 前修改申请或申请平台介入，逾期退款关闭。"
    )

    page = buyer_client.get(reverse("notification-list")).content.decode()
    outbox_relay(hand_over=run_here)

    assert zh in page
    note = Notification.objects.get(recipient=buyer)
    [email] = emails_of(note)
    assert zh in email.body
    assert email.subject.startswith("【售后】商家已拒绝您对「Jacket」")
    assert "rejected" not in email.body


def test_the_same_notification_reads_in_english_once_the_buyer_switches(
    rejected, buyer, buyer_client
):
    assert "商家已拒绝您对" in buyer_client.get(reverse("notification-list")).content.decode()

    buyer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = buyer_client.get(reverse("notification-list")).content.decode()

    assert (
        f"The shop rejected your request on “Jacket” (order {rejected.order.number}): “used”. "
        f"Edit it or apply for platform intervention by {local(rejected.deadline)}, or the "
        "request closes." in page
    )
    assert "商家已拒绝您对" not in page


def test_the_api_answers_in_the_language_of_the_request(rejected, buyer):
    client = APIClient()
    client.force_authenticate(buyer)

    english = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="zh-CN").json()

    [en], [zh] = english["results"], chinese["results"]
    assert en["message"].startswith("The shop rejected your request on “Jacket” (order ")
    assert zh["message"].startswith("商家已拒绝您对「Jacket」（订单 ")
    assert en["id"] == zh["id"]


def test_an_english_readers_email_is_english_and_goes_out_once(rejected, buyer):
    user_language_set(user=buyer, language="en")
    note = Notification.objects.get(recipient=buyer)

    outbox_relay(hand_over=run_here)
    outbox_relay(hand_over=run_here)
    assert notification_email_send(notification_id=note.pk) is False  # a redelivered task

    [email] = emails_of(note)
    assert "The shop rejected your request on “Jacket”" in email.body
    assert not CJK.search(email.body)


def test_the_refunded_amount_reads_exactly_in_both_languages(wf, buyer):
    order = wf.order("shipped")
    refund = wf.file(order, amount=Decimal("12.50"))
    ds.refund_approve(refund=refund, actor=wf.merchant, now=wf.later(hours=1))
    note = Notification.objects.get(recipient=buyer, kind="refunded")

    with translation.override("zh-hans"):
        assert note.text == (
            f"「Jacket」（订单 {order.number}）退款成功：¥12.50 已按原支付方式退回，无需再操作。"
        )
    with translation.override("en"):
        assert note.text == (
            f"¥12.50 has been refunded for “Jacket” (order {order.number}): it goes back the way "
            "you paid, nothing more to do."
        )


def test_every_notice_of_a_dispute_reads_in_chinese_for_a_chinese_reader(wf):
    """Filing, rejection, intervention, ruling, penalty points, appeal, reminders: no notice
    falls back to the English msgid."""
    case = wf.intervention("under_review")
    ruling = wf.rule_against_merchant(case)
    ds.ruling_appeal(
        ruling=ruling, actor=wf.merchant, statement="new photos", now=wf.later(hours=1)
    )
    filed = wf.file()
    deadline_reminders_send(now=filed.deadline - timedelta(hours=23))
    written = list(Notification.objects.all())
    kinds = {"refund_filed", "refund_rejected", "intervention_opened", "ruling", "penalty"}
    assert {n.kind for n in written} >= kinds | {"appeal", "deadline_reminder"}

    for note in written:
        with translation.override("zh-hans"):
            chinese = note.text
        with translation.override("en"):
            english = note.text
        assert CJK.search(chinese), (note.kind, chinese)
        assert chinese != english
        assert not re.search(r"%\(|\{", chinese + english), (note.kind, chinese)


def test_a_notification_written_before_texts_were_translated_reads_as_stored(buyer, shop):
    old = Notification.objects.create(
        recipient=buyer,
        kind="refunded",
        message="¥10 has been refunded for order 42.",  # a migrated row: no params
        target_type=ContentType.objects.get_for_model(shop),
        target_id=shop.pk,
    )

    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert old.text == "¥10 has been refunded for order 42."

"""Notifications are e-mailed through the transactional outbox: the e-mail's work is written
with the notification, handed on after the commit, and sent at most once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from core.emails import notification_email_send
from core.models import EmailDelivery, Notification, OutboxMessage
from core.outbox import outbox_relay, run_here
from core.services import user_language_set
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import RefundState

pytestmark = pytest.mark.django_db


def test_filing_writes_the_merchants_email_work_with_the_notification(wf, merchant):
    refund = wf.file()

    note = Notification.objects.get(recipient=merchant, kind="refund_filed")
    work = OutboxMessage.objects.get()
    assert work.task == "core.notification_email"
    assert work.kwargs == {"notification_id": note.pk}
    assert work.relayed_at is None
    assert refund.state == RefundState.REQUESTED


def test_an_action_that_rolls_back_leaves_no_email_work(wf):
    order = wf.order("shipped")
    with pytest.raises(RuntimeError), transaction.atomic():
        wf.file(order)
        raise RuntimeError("the request failed after filing")

    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_recipient_without_an_address_gets_no_email_work(wf, merchant):
    merchant.email = ""
    merchant.save()
    wf.file()

    assert Notification.objects.filter(recipient=merchant).exists()
    assert not OutboxMessage.objects.exists()


def test_the_relay_sends_each_notification_once_however_often_it_runs(wf, merchant, buyer):
    refund = wf.file()
    ds.refund_reject(refund=refund, actor=merchant, reason="used", now=wf.later(hours=1))

    assert outbox_relay(hand_over=run_here) == 2
    assert outbox_relay(hand_over=run_here) == 0
    for note in Notification.objects.all():  # a redelivered task finds the key taken
        assert notification_email_send(notification_id=note.pk) is False

    assert sorted(m.to[0] for m in mail.outbox) == [buyer.email, merchant.email]
    rejected = next(m for m in mail.outbox if m.to == [buyer.email])
    assert "“used”" in rejected.body
    assert EmailDelivery.objects.count() == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_send_that_fails_is_retried_later_and_then_sent_once(wf, merchant, monkeypatch):
    wf.file()
    real_send = mail.EmailMessage.send

    def broken(self, *args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(mail.EmailMessage, "send", broken)
    assert outbox_relay(hand_over=run_here, stop_on_error=False) == 0
    work = OutboxMessage.objects.get()
    assert work.attempts == 1 and work.relayed_at is None and "mail server down" in work.last_error
    assert not EmailDelivery.objects.exists()  # the key was rolled back with the failed send

    monkeypatch.setattr(mail.EmailMessage, "send", real_send)
    assert outbox_relay(hand_over=run_here, now=work.available_at) == 1
    assert [m.to for m in mail.outbox] == [[merchant.email]]


def test_a_broker_that_is_down_stops_the_relay_and_keeps_every_row(wf):
    wf.file()
    wf.file()
    calls = []

    def broker_down(row):
        calls.append(row.pk)
        raise OSError("connection refused")

    assert outbox_relay(hand_over=broker_down) == 0
    assert len(calls) == 1  # the first failure ends the run
    assert OutboxMessage.objects.filter(relayed_at__isnull=True).count() == 2


def test_the_email_is_in_the_recipients_language(wf, merchant, buyer):
    user_language_set(user=buyer, language="en")
    refund = wf.file()
    ds.refund_reject(refund=refund, actor=merchant, reason="used", now=wf.later(hours=1))
    outbox_relay(hand_over=run_here)

    languages = dict(EmailDelivery.objects.values_list("address", "language"))
    assert languages == {buyer.email: "en", merchant.email: "zh-hans"}
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[buyer.email].body.startswith("Hello buyer,")
    assert by_address[merchant.email].body.startswith("merchant，您好：")
    assert by_address[merchant.email].subject.startswith("【售后】")


def test_the_sweeps_auto_approval_emails_the_buyer_once(wf, buyer):
    refund = wf.file()
    outbox_relay(hand_over=run_here)  # the merchant's e-mail about the filing
    mail.outbox.clear()

    enforce_deadlines(now=refund.deadline + timedelta(seconds=1))
    outbox_relay(hand_over=run_here)

    to_buyer = [m for m in mail.outbox if m.to == [buyer.email]]
    assert len(to_buyer) == 1 and "退款成功" in to_buyer[0].body  # the buyer's language
    assert Notification.objects.filter(recipient=buyer).count() == 1

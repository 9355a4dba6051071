"""Notifications are e-mailed through the transactional outbox: the e-mail's work is written
with the notification, handed on after the commit, and sent at most once."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from core.emails import notification_email_send
from core.models import EmailDelivery, Notification, OutboxMessage
from core.outbox import MAX_ATTEMPTS, outbox_message_run, outbox_relay, run_here
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
    assert work.relayed_at is None and work.done_at is None
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
    assert outbox_relay(hand_over=run_here, stop_on_error=False) == 1
    work = OutboxMessage.objects.get()
    assert work.attempts == 1 and work.done_at is None and "mail server down" in work.last_error
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
    assert OutboxMessage.objects.filter(attempts=0, done_at__isnull=True).count() == 2


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


# --- what users type cannot break an e-mail ------------------------------------------------


@pytest.mark.parametrize("breaks", ["\r\n", "\n", "\r", "\u2028", "\x0b", "\x85"])
def test_a_title_and_a_reason_with_line_breaks_still_reach_the_buyer_on_one_subject_line(
    wf, product, merchant, buyer, breaks
):
    """The subject begins with the goods' title, which the shop typed; the reason follows."""
    product.title = f"Jacket{breaks}Bcc: attacker@example.com"
    product.save(update_fields=["title"])
    refund = wf.file()
    reason = f"Worn{breaks}Bcc: attacker@example.com{breaks}{breaks}Looks used"
    ds.refund_reject(refund=refund, actor=merchant, reason=reason, now=wf.later(hours=1))

    outbox_relay(hand_over=run_here)

    [to_buyer] = [m for m in mail.outbox if m.to == [buyer.email]]
    subject = to_buyer.message()["Subject"]
    assert "「Jacket Bcc: attacker@example.com」" in str(subject)
    assert not any(c in str(subject) for c in "\r\n\u2028\x0b\x85")
    assert "Looks used" in to_buyer.body
    assert to_buyer.message()["Bcc"] is None and to_buyer.bcc == []
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()


def test_a_tracking_number_with_line_breaks_still_reaches_the_merchant(wf, merchant):
    refund = wf.refund("awaiting_return")
    outbox_relay(hand_over=run_here)
    mail.outbox.clear()

    ds.refund_ship_return(
        refund=refund,
        actor=refund.buyer,
        courier="yto",
        tracking_number="SF1\r\nX-Evil: 1",
        now=wf.now,
    )
    outbox_relay(hand_over=run_here)

    [to_merchant] = [m for m in mail.outbox if m.to == [merchant.email]]
    assert "物流单号 SF1 X-Evil" in to_merchant.subject
    assert to_merchant.message()["X-Evil"] is None


# --- a message that cannot be sent is kept as failed, with its reason ----------------------


def test_a_send_that_keeps_failing_is_kept_as_failed_with_its_reason(wf, monkeypatch):
    wf.file()

    def broken(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server hung up")

    monkeypatch.setattr(mail.EmailMessage, "send", broken)
    moment = timezone.now()
    for _ in range(MAX_ATTEMPTS + 1):
        outbox_relay(hand_over=run_here, stop_on_error=False, now=moment)
        moment = OutboxMessage.objects.get().available_at

    work = OutboxMessage.objects.get()
    assert work.failed_at is not None and work.done_at is None
    assert work.attempts == MAX_ATTEMPTS
    assert "the mail server hung up" in work.last_error
    assert outbox_relay(hand_over=run_here, now=moment + timedelta(days=1)) == 0  # left alone


@pytest.mark.parametrize(
    ("reply", "given_up"), [((550, b"no such mailbox"), True), ((451, b"try again later"), False)]
)
def test_an_address_the_mail_server_refuses_is_failed_at_once_unless_it_says_try_later(
    wf, monkeypatch, reply, given_up
):
    wf.file()

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({self.to[0]: reply})

    monkeypatch.setattr(mail.EmailMessage, "send", refused)
    outbox_relay(hand_over=run_here)

    work = OutboxMessage.objects.get()
    assert work.attempts == 1 and work.done_at is None
    assert (work.failed_at is not None) is given_up
    assert reply[1].decode() in work.last_error
    assert not EmailDelivery.objects.exists()


# --- a row is done only when its work reported back ----------------------------------------


def test_a_handed_over_row_is_done_only_once_its_task_ran(wf, merchant):
    wf.file()
    published = []

    outbox_relay(hand_over=published.append)
    work = OutboxMessage.objects.get()
    assert [row.pk for row in published] == [work.pk]
    assert work.relayed_at is not None and work.done_at is None

    assert outbox_message_run(message_id=work.pk) is True  # the worker
    assert outbox_message_run(message_id=work.pk) is False  # a redelivered copy
    work.refresh_from_db()
    assert work.done_at is not None
    assert [m.to for m in mail.outbox] == [[merchant.email]]


def test_a_row_whose_message_was_lost_is_handed_over_again_when_its_lease_ends(wf, merchant):
    wf.file()
    lost = []
    outbox_relay(hand_over=lost.append)  # Redis lost the message: nobody runs it
    work = OutboxMessage.objects.get()

    assert outbox_relay(hand_over=run_here, now=work.available_at - timedelta(seconds=1)) == 0
    assert outbox_relay(hand_over=run_here, now=work.available_at) == 1

    work.refresh_from_db()
    assert work.attempts == 2 and work.done_at is not None
    assert [m.to for m in mail.outbox] == [[merchant.email]]


def test_a_supervisor_finds_the_failed_email_and_why_in_the_admin(wf, supervisor, monkeypatch):
    wf.file()
    wf.file()
    real_send = mail.EmailMessage.send
    calls = []

    def first_refused(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 1:
            raise smtplib.SMTPRecipientsRefused({self.to[0]: (550, b"no such mailbox")})
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", first_refused)
    outbox_relay(hand_over=run_here)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(supervisor)

    page = client.get(f"/{settings.ADMIN_URL}core/outboxmessage/", {"state": "failed"})

    assert page.status_code == 200
    failed = OutboxMessage.objects.get(failed_at__isnull=False)
    assert list(page.context["cl"].result_list) == [failed]
    assert "no such mailbox" in page.content.decode()

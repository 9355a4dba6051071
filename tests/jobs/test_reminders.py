"""24 hours before a deadline, the party who must act is reminded, once per deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import translation

from core.models import Notification
from core.outbox import outbox_relay, run_here
from core.services import user_language_set
from disputes import services as ds
from disputes.reminders import deadline_reminders_send

pytestmark = pytest.mark.django_db


def reminders_to(user):
    return list(Notification.objects.filter(recipient=user, kind="deadline_reminder"))


def test_the_silent_merchant_is_reminded_once_a_day_before_auto_approval(wf, merchant, buyer):
    refund = wf.file()  # a shipped order: 48 hours to answer

    assert deadline_reminders_send(now=refund.deadline - timedelta(hours=25)) == 0
    assert deadline_reminders_send(now=refund.deadline - timedelta(hours=23)) == 1
    assert deadline_reminders_send(now=refund.deadline - timedelta(hours=1)) == 0

    [reminder] = reminders_to(merchant)
    assert refund.order.number in reminder.text
    assert "逾期将自动同意退款" in reminder.text  # read in the platform's default language
    assert reminders_to(buyer) == []


def test_after_a_rejection_the_buyer_is_reminded_of_the_new_deadline(wf, merchant, buyer):
    refund = wf.file()
    deadline_reminders_send(now=refund.deadline - timedelta(hours=23))
    refund = ds.refund_reject(refund=refund, actor=merchant, reason="used", now=wf.later(hours=30))

    assert deadline_reminders_send(now=refund.deadline - timedelta(hours=2)) == 1
    [reminder] = reminders_to(buyer)
    assert "申请平台介入" in reminder.text
    assert len(reminders_to(merchant)) == 1


def test_a_refund_with_nothing_to_do_is_not_reminded(wf):
    refund = wf.file()
    ds.refund_approve(refund=refund, actor=wf.merchant, now=wf.later(hours=1))

    assert deadline_reminders_send(now=wf.later(hours=30)) == 0


def test_the_shop_is_reminded_to_give_evidence(wf, merchant):
    refund = wf.refund("in_intervention")
    case = refund.intervention

    assert deadline_reminders_send(now=case.evidence_deadline - timedelta(hours=3)) == 1
    assert "凭证" in reminders_to(merchant)[-1].text


def test_a_reminder_reads_in_its_readers_language(wf, merchant):
    user_language_set(user=merchant, language="en")
    refund = wf.file()

    deadline_reminders_send(now=refund.deadline - timedelta(hours=23))
    outbox_relay(hand_over=run_here)

    [reminder] = reminders_to(merchant)
    [email] = [
        m for m in mail.outbox if m.extra_headers["X-Aftersales-Notification"] == str(reminder.pk)
    ]
    assert "or it is approved automatically" in email.body  # the merchant's language
    with translation.override("zh-hans"):  # a page in Chinese
        assert "逾期将自动同意退款" in reminder.text

"""The embedded scheduler runs beat's schedule in-process; the settings keep Celery safe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from core.models import IdempotencyKey, OutboxMessage, UserPreference
from core.outbox import registered_tasks
from core.scheduler import EmbeddedScheduler, run_entry
from disputes import services as ds
from disputes.models import RefundPayment, RefundState


def test_every_scheduled_task_exists_and_the_visibility_timeout_matches_the_outbox_tasks():
    tasks = registered_tasks()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    outbox = [tasks["core.outbox_run"], tasks["core.notification_email"]]
    # Long enough for the work to finish, short enough that a dead worker's is soon redone.
    assert all(t.time_limit == timeout for t in outbox)
    assert not any(
        getattr(t, "autoretry_for", ()) for t in outbox
    )  # the outbox retries: no countdown waits
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert all(
        t.acks_late and t.time_limit for name, t in tasks.items() if not name.startswith("celery.")
    )


@pytest.mark.django_db(transaction=True)
def test_the_embedded_jobs_auto_approve_and_email_without_a_broker(wf, buyer, merchant):
    refund = wf.file()  # filed in June 2026 (t0): its window has passed by the real "now"

    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        run_entry("disputes.enforce_deadlines")
        run_entry("core.outbox_relay")

    refund.refresh_from_db()
    assert refund.state == RefundState.REFUNDED and refund.auto_approved
    assert sorted(m.to[0] for m in mail.outbox).count(buyer.email) == 1
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()


def test_the_scheduler_thread_stops_when_asked():
    scheduler = EmbeddedScheduler(schedule={})
    scheduler.start()
    scheduler.stop()
    scheduler.join(timeout=2)
    assert not scheduler.is_alive()


@pytest.mark.django_db
def test_what_a_user_does_in_english_makes_their_notifications_english(client, buyer):
    client.force_login(buyer)

    client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert not UserPreference.objects.exists()  # reading pages changes nothing

    client.post("/api/v1/refunds/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert UserPreference.objects.get(user=buyer).language == "en"


@pytest.mark.django_db
def test_the_language_switcher_sets_the_notification_language(client, buyer):
    client.force_login(buyer)
    client.post("/api/v1/refunds/", {}, HTTP_ACCEPT_LANGUAGE="en")

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert UserPreference.objects.get(user=buyer).language == "zh-hans"


@pytest.mark.django_db
def test_the_scheduled_purge_removes_expired_idempotency_keys(buyer):
    old = IdempotencyKey.objects.create(
        user=buyer, key="old", fingerprint="f", created_at=timezone.now() - timedelta(hours=25)
    )
    fresh = IdempotencyKey.objects.create(user=buyer, key="fresh", fingerprint="f")

    run_entry("core.idempotency_keys_purge")

    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not IdempotencyKey.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_the_scheduled_job_sends_a_refund_payment_the_gateway_missed(wf):
    refund = wf.file()
    ds.refund_approve(refund=refund, actor=wf.merchant, now=wf.later(hours=1))
    RefundPayment.objects.update(gateway_reference="")  # as if the gateway call had failed

    run_entry("disputes.refund_payments_send_unsent")

    assert RefundPayment.objects.get().gateway_reference.startswith("SIM-REF-")

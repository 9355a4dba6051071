"""Celery tasks of the platform's plumbing. Each takes JSON arguments (ids), calls a service,
and may run twice: what it does is keyed in the database."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.emails import account_email_send, notification_email_send
from core.outbox import outbox_message_run, outbox_relay, publish_to_celery
from core.services import idempotency_keys_purge

# Every task is acknowledged after it ran (a worker lost mid-task means it runs again) and
# bounded in time.
BOUNDED = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 60,
    "time_limit": 90,
}
# The outbox's work: a worker killed in the middle leaves the message unacknowledged, and Redis
# hands it to another worker once the visibility timeout has passed, which matches this limit
# (settings). Failures are retried by the outbox, not by Celery: no countdown waits in a worker.
OUTBOX = {
    **BOUNDED,
    "soft_time_limit": settings.OUTBOX_TASK_SECONDS - 5,
    "time_limit": settings.OUTBOX_TASK_SECONDS,
}


@shared_task(name="core.outbox_run", **OUTBOX)
def run_outbox_message(message_id: int) -> bool:
    return outbox_message_run(message_id=message_id)


@shared_task(name="core.notification_email", **OUTBOX)
def notification_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)


@shared_task(name="core.account_email", **OUTBOX)
def account_email(kind: str, user_id: int, language: str, key: str) -> bool:
    return account_email_send(kind=kind, user_id=user_id, language=language, key=key)


@shared_task(name="core.outbox_relay", **BOUNDED)
def relay_outbox() -> int:
    # Periodic: the next beat tick is its retry.
    return outbox_relay(hand_over=publish_to_celery)


@shared_task(name="core.idempotency_keys_purge", **BOUNDED)
def purge_idempotency_keys() -> int:
    return idempotency_keys_purge(now=timezone.now())

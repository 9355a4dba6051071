"""The periodic work of the dispute workflow, run by Celery beat (or the embedded scheduler)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.tasks import BOUNDED
from disputes.deadlines import enforce_deadlines
from disputes.reminders import deadline_reminders_send
from disputes.services import refund_payments_send_unsent

# Periodic: the next tick is the retry, so no retries of their own.
PERIODIC = {**BOUNDED, "soft_time_limit": 240, "time_limit": 300}


@shared_task(name="disputes.enforce_deadlines", **PERIODIC)
def sweep_deadlines() -> dict[str, int]:
    """The same sweep as `manage.py enforce_deadlines`, as of now."""
    return enforce_deadlines(now=timezone.now())


@shared_task(name="disputes.deadline_reminders", **PERIODIC)
def send_deadline_reminders() -> int:
    return deadline_reminders_send(now=timezone.now())


@shared_task(name="disputes.refund_payments_send_unsent", **PERIODIC)
def send_unsent_refund_payments() -> int:
    """Refund payments the gateway has not taken yet (it failed, or a process died between the
    commit and the call) are sent again."""
    return refund_payments_send_unsent(now=timezone.now())

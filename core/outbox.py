"""The relay of the transactional outbox: rows written with a transaction are handed on once it
has committed, to Celery (production) or run in this process (the embedded default).

Rows are taken with `SELECT … FOR UPDATE SKIP LOCKED`, so several relays can run side by side.
A row is marked relayed in the transaction that took it; if that transaction is lost after the
hand-over, the row is handed on again, which the tasks tolerate (they are idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from celery import current_app
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
MAX_BACKOFF = timedelta(minutes=10)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


def outbox_relay(
    *,
    hand_over: Callable[[OutboxMessage], None],
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    stop_on_error: bool = True,
) -> int:
    """Hand every due row to `hand_over`; returns how many were handed over.

    A failed hand-over puts the row back with a growing delay. With `stop_on_error` (publishing
    to a broker) the first failure ends the run: the broker is down, the rest would fail too."""
    now = now or timezone.now()
    relayed = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxMessage.objects.filter(relayed_at__isnull=True, available_at__lte=now)
                .order_by("id")
                .select_for_update(skip_locked=True)[:batch_size]
            )
            done, failed = [], None
            for row in rows:
                try:
                    with transaction.atomic():
                        hand_over(row)
                except Exception as exc:
                    logger.warning("outbox row %s (%s) not handed over: %r", row.pk, row.task, exc)
                    row.attempts += 1
                    row.available_at = timezone.now() + _backoff(row.attempts)
                    row.last_error = repr(exc)[:500]
                    row.save(update_fields=["attempts", "available_at", "last_error"])
                    failed = row
                    if stop_on_error:
                        break
                    continue
                row.relayed_at = timezone.now()
                done.append(row)
            OutboxMessage.objects.bulk_update(done, ["relayed_at"])
            relayed += len(done)
        if (failed is not None and stop_on_error) or len(rows) < batch_size:
            return relayed


def publish_to_celery(row: OutboxMessage) -> None:
    """Send the row's task to the broker; the task id makes the message traceable to its row."""
    # The publish retry policy (settings: CELERY_TASK_PUBLISH_RETRY_POLICY) is short, so that a
    # broker that is down fails the relay quickly rather than holding the rows.
    current_app.send_task(row.task, kwargs=row.kwargs, task_id=f"outbox-{row.pk}-{row.attempts}")


@cache
def registered_tasks():
    """Celery's task registry, with every app's tasks.py imported (a worker does this when it
    starts; a process that runs tasks itself must do it too)."""
    current_app.loader.import_default_modules()
    return current_app.tasks


def run_here(row: OutboxMessage) -> None:
    """Run the row's task in this process (the embedded default: no broker)."""
    registered_tasks()[row.task](**row.kwargs)

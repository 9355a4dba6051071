"""The relay of the transactional outbox: rows written with a transaction are handed on once it
has committed, to Celery (production) or run in this process (the embedded default).

Rows are taken with `SELECT … FOR UPDATE SKIP LOCKED`, so several relays can run side by side.
A row is done only when its work reports back (`outbox_message_run`, in the worker, before the
task is acknowledged). Handed over, it is leased: if no report came when the lease ends (Redis
lost the message, or the worker died and Redis has not handed it out again), it is handed over
again, which the work tolerates (it is idempotent). Work that fails is tried again later, with
a growing delay, and after MAX_ATTEMPTS is kept as failed with its reason, for staff to see.
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
MAX_ATTEMPTS = 10
MAX_BACKOFF = timedelta(minutes=10)
# How long a handed-over row waits for its report before it is handed over again: longer than
# a message normally waits in the queue and runs, and doubling, so that a long queue is not
# flooded with copies.
LEASE = timedelta(minutes=10)
MAX_LEASE = timedelta(hours=6)


class PermanentError(Exception):
    """The work cannot succeed however often it is tried (an address no mail server takes):
    the row is failed at once."""


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


def _lease(attempts: int) -> timedelta:
    return min(LEASE * 2 ** (attempts - 1), MAX_LEASE)


def outbox_relay(
    *,
    hand_over: Callable[[OutboxMessage], None],
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    stop_on_error: bool = True,
) -> int:
    """Hand every due row to `hand_over`; returns how many were handed over.

    A hand-over that fails (the broker is down) leaves the row due, its attempt not counted.
    With `stop_on_error` (publishing to a broker) the first failure ends the run: the broker is
    down, the rest would fail too."""
    now = now or timezone.now()
    relayed = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxMessage.objects.filter(
                    done_at__isnull=True, failed_at__isnull=True, available_at__lte=now
                )
                .order_by("id")
                .select_for_update(skip_locked=True)[:batch_size]
            )
            touched, failed = [], None
            for row in rows:
                touched.append(row)
                if row.attempts >= MAX_ATTEMPTS:
                    _give_up(row, now, row.last_error or "its work never reported back")
                    continue
                row.attempts += 1
                row.relayed_at = now
                row.available_at = now + _lease(row.attempts)
                try:
                    with transaction.atomic():
                        hand_over(row)
                except Exception as exc:
                    logger.warning("outbox row %s (%s) not handed over: %r", row.pk, row.task, exc)
                    row.attempts -= 1
                    row.available_at = now
                    row.last_error = repr(exc)[:500]
                    failed = row
                    if stop_on_error:
                        break
                    continue
                relayed += 1
            OutboxMessage.objects.bulk_update(
                touched,
                ["attempts", "relayed_at", "available_at", "done_at", "failed_at", "last_error"],
            )
        if (failed is not None and stop_on_error) or len(rows) < batch_size:
            return relayed


def outbox_message_execute(row: OutboxMessage, *, now: datetime | None = None) -> None:
    """Run a handed-over row's work and mark the row (unsaved): done; or to be tried again
    after a delay; or, when it cannot succeed or had its attempts, failed with the reason."""
    try:
        with transaction.atomic():
            registered_tasks()[row.task](**row.kwargs)
    except PermanentError as exc:
        _give_up(row, now or timezone.now(), str(exc))
    except Exception as exc:
        moment = now or timezone.now()
        if row.attempts >= MAX_ATTEMPTS:
            _give_up(row, moment, repr(exc))
        else:
            logger.warning(
                "outbox row %s (%s) failed, tried again later: %r", row.pk, row.task, exc
            )
            row.available_at = moment + _backoff(row.attempts)
            row.last_error = repr(exc)[:500]
    else:
        row.done_at = now or timezone.now()


def _give_up(row: OutboxMessage, now: datetime, reason: str) -> None:
    logger.error("outbox row %s (%s) failed for good: %s", row.pk, row.task, reason)
    row.failed_at = now
    row.last_error = reason[:500]


def outbox_message_run(*, message_id: int, now: datetime | None = None) -> bool:
    """The worker's side of a hand-over: run the row's work unless it is finished, and record
    the outcome before the task is acknowledged. A duplicate (a redelivery, a second
    hand-over) waits for the first to commit, then finds the row finished. Returns whether
    the work ran."""
    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, done_at__isnull=True, failed_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        outbox_message_execute(row, now=now)
        row.save(update_fields=["available_at", "done_at", "failed_at", "last_error"])
    return True


def publish_to_celery(row: OutboxMessage) -> None:
    """Send the row to the broker; the task id makes the message traceable to its row."""
    # The publish retry policy (settings: CELERY_TASK_PUBLISH_RETRY_POLICY) is short, so that a
    # broker that is down fails the relay quickly rather than holding the rows.
    current_app.send_task(
        "core.outbox_run", kwargs={"message_id": row.pk}, task_id=f"outbox-{row.pk}-{row.attempts}"
    )


@cache
def registered_tasks():
    """Celery's task registry, with every app's tasks.py imported (a worker does this when it
    starts; a process that runs tasks itself must do it too)."""
    current_app.loader.import_default_modules()
    return current_app.tasks


def run_here(row: OutboxMessage) -> None:
    """Run the row's work in this process (the embedded default: no broker)."""
    outbox_message_execute(row)

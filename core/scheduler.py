"""The embedded scheduler: Celery beat's schedule run in a thread of this process, with the
outbox's work run here too, so that `manage.py serve` (what `make run` starts) enforces
deadlines and sends notifications with no broker and no worker at all."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connections

from core.outbox import outbox_relay, registered_tasks, run_here

logger = logging.getLogger(__name__)
RELAY_TASK = "core.outbox_relay"


def _seconds(schedule) -> float:
    return schedule.total_seconds() if isinstance(schedule, timedelta) else float(schedule)


def run_entry(task: str) -> None:
    """Run one entry of the beat schedule now, in this process."""
    if task == RELAY_TASK:
        outbox_relay(hand_over=run_here, stop_on_error=False)
    else:
        registered_tasks()[task]()


class EmbeddedScheduler(threading.Thread):
    def __init__(self, schedule: dict | None = None, after_first_round: Callable | None = None):
        super().__init__(name="embedded-scheduler", daemon=True)
        self.schedule = schedule if schedule is not None else settings.CELERY_BEAT_SCHEDULE
        self.after_first_round = after_first_round
        self.stopped = threading.Event()

    def run(self) -> None:
        next_run = dict.fromkeys(self.schedule, 0.0)
        while not self.stopped.is_set():
            for name, entry in self.schedule.items():
                if time.monotonic() < next_run[name]:
                    continue
                next_run[name] = time.monotonic() + _seconds(entry["schedule"])
                try:
                    run_entry(entry["task"])
                except Exception:
                    logger.exception("embedded job %s failed; it runs again next time", name)
                finally:
                    connections.close_all()  # this thread's connections only
            if self.after_first_round is not None:
                try:
                    self.after_first_round()
                except Exception:
                    logger.exception("the embedded jobs' after-first-round step failed")
                self.after_first_round = None
            self.stopped.wait(0.2)

    def stop(self) -> None:
        self.stopped.set()

"""Run service calls at the same moment in real threads, each on its own database connection.

PostgreSQL only: SQLite has no row locks, so a race there proves nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection

# A lock wait that outlives this is a hang (a missed deadlock): fail instead of blocking CI.
LOCK_TIMEOUT = "10s"
JOIN_TIMEOUT = 30

postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrency tests need PostgreSQL row locks; SQLite locks the whole database.",
    ),
    pytest.mark.django_db(transaction=True),
]


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(*calls: Callable[[], object]) -> list[Outcome]:
    """Start every call at once (a barrier) in its own thread; return what each gave or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            # Connect before the barrier so that the calls, not the connecting, race.
            with connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            barrier.wait(timeout=JOIN_TIMEOUT)
            outcomes[index].value = call()
        except BaseException as exc:
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a racing call hung"
    return outcomes


def one_winner(outcomes: list[Outcome]) -> tuple[int, Outcome]:
    """Exactly one call succeeded; return its index and outcome."""
    winners = [i for i, o in enumerate(outcomes) if o.ok]
    assert len(winners) == 1, [o.error for o in outcomes]
    return winners[0], outcomes[winners[0]]

"""Finding 5: on SQLite (the embedded default) concurrent writes wait their turn instead of
failing with "database is locked": ten parallel approvals give one 200 and nine 409s."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.exceptions import api_exception_handler
from disputes.models import RefundPayment, RefundState

PARALLEL = 10
ROOT = Path(__file__).resolve().parents[2]
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_approvals_on_sqlite_give_one_200_and_nine_409(wf, merchant):
    refund = wf.refund("requested")
    token = Token.objects.create(user=merchant).key
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def approve():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            statuses.append(client.post(f"/api/v1/refunds/{refund.pk}/approve/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(statuses) == [200] + [409] * (PARALLEL - 1)
    refund.refresh_from_db()
    assert refund.state == RefundState.REFUNDED
    assert RefundPayment.objects.filter(refund=refund).count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="runs the test above itself")
def test_the_parallel_approvals_also_hold_on_sqlite():
    """The suite runs on PostgreSQL in CI: run the SQLite race in a SQLite run of its own."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"{__file__}::test_ten_parallel_approvals_on_sqlite_give_one_200_and_nine_409",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout


@pytest.mark.parametrize(
    "message", ["database is locked", "canceling statement due to lock timeout"]
)
def test_a_lock_still_held_after_the_wait_is_a_503_not_a_500(message):
    answer = api_exception_handler(OperationalError(message), {})

    assert answer.status_code == 503
    assert answer["Retry-After"] == "1"
    assert answer.data["code"] == "busy"

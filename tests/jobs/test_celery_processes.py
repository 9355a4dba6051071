"""Real Celery worker and beat processes against Redis: deadlines
and notifications happen on their own, nothing is lost while Redis is down, and a worker killed
mid-task leads to each e-mail exactly once.

They run on PostgreSQL (the processes share the test database) and need a Redis server: the
machine's (TEST_REDIS_URL) or, for the outage, a `redis-server` of their own."""

from __future__ import annotations

import os
import shutil
import time
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from core.models import EmailDelivery, Notification, OutboxMessage
from disputes.models import RefundRequest, RefundState
from tests.jobs.processes import Jobs, free_port, wait_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the worker processes share the test database: PostgreSQL only",
    ),
]


@pytest.fixture
def jobs_factory(tmp_path):
    started: list[Jobs] = []

    def make(broker_url: str = REDIS_URL, **env: str) -> Jobs:
        jobs = Jobs(tmp_path / f"run{len(started)}", broker_url, **env)
        started.append(jobs)
        return jobs

    yield make
    for jobs in started:
        jobs.stop()


def emails_to(jobs: Jobs, address: str) -> list:
    return [m for m in jobs.emails() if m["To"] == address]


def test_the_worker_auto_approves_a_silent_merchants_refund_and_tells_the_buyer_once(
    jobs_factory, wf, buyer, settings
):
    settings.PLATFORM_RULES = {"merchant_response_window": timedelta(seconds=3)}
    jobs = jobs_factory()
    jobs.worker()
    jobs.beat()
    wf.now = None  # the real clock: the worker's sweep runs as of now
    order = wf.order("shipped")
    refund = wf.file(order)

    wait_for(
        lambda: RefundRequest.objects.get(pk=refund.pk).state == RefundState.REFUNDED,
        timeout=60,
        what=f"the auto-approval\n{jobs.log()}",
    )
    wait_for(lambda: emails_to(jobs, buyer.email), timeout=30, what=f"the e-mail\n{jobs.log()}")
    time.sleep(3)  # several more sweeps and relays: nothing more may arrive

    refund.refresh_from_db()
    assert refund.auto_approved
    [in_app] = Notification.objects.filter(recipient=buyer)
    assert "has been refunded" in in_app.message
    [email] = emails_to(jobs, buyer.email)
    assert email["X-Aftersales-Notification"] == str(in_app.pk)
    assert order.number in email.get_payload(decode=True).decode()


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server to start")
def test_with_redis_down_actions_succeed_fast_and_each_email_goes_out_once_it_is_back(
    jobs_factory, wf, buyer, merchant
):
    port = free_port()
    jobs = jobs_factory(f"redis://127.0.0.1:{port}/0")
    jobs.worker()
    jobs.beat()  # both start while nothing listens on the port
    wait_for(lambda: "Cannot connect" in jobs.log(), timeout=60, what="the worker to miss Redis")
    api = APIClient()
    order = wf.order("shipped")
    api.force_authenticate(buyer)
    assert api.get("/api/v1/refunds/").status_code == 200  # the API's code is loaded

    started = time.monotonic()
    filed = api.post(
        "/api/v1/refunds/",
        {
            "order": order.pk,
            "kind": "refund_only",
            "reason": "quality_problem",
            "amount": "100.00",
            "description": "torn",
        },
        format="json",
    )
    filing_took = time.monotonic() - started
    api.force_authenticate(merchant)
    started = time.monotonic()
    rejected = api.post(
        f"/api/v1/refunds/{filed.json()['id']}/reject/", {"reason": "worn"}, format="json"
    )
    rejecting_took = time.monotonic() - started

    assert filed.status_code == 201 and rejected.status_code == 200
    assert filing_took < 1 and rejecting_took < 1
    time.sleep(2)  # the worker and beat keep failing to reach the broker meanwhile
    assert OutboxMessage.objects.filter(attempts=0, done_at__isnull=True).count() == 2
    assert jobs.emails() == []

    jobs.redis(port)
    wait_for(lambda: len(jobs.emails()) == 2, timeout=90, what=f"2 e-mails\n{jobs.log()}")
    time.sleep(3)

    assert sorted(m["To"] for m in jobs.emails()) == sorted([buyer.email, merchant.email])
    assert EmailDelivery.objects.count() == 2
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()


def test_a_worker_killed_mid_send_is_replaced_and_each_email_goes_out_within_a_minute(
    jobs_factory, wf, merchant
):
    # The production visibility timeout (that of the outbox's tasks) and restore interval.
    jobs = jobs_factory(TEST_EMAIL_DELAY="2")
    first = jobs.worker("first")
    jobs.beat()
    wf.now = None  # the real clock: 48 hours to answer, so the sweep leaves them alone
    refunds = [wf.file() for _ in range(3)]  # three e-mails to the merchant
    notes = set(Notification.objects.filter(recipient=merchant).values_list("pk", flat=True))
    assert len(refunds) == len(notes) == 3

    wait_for(jobs.sending, timeout=60, what=f"a send to begin\n{jobs.log()}")
    jobs.kill(first)
    killed = time.monotonic()
    assert jobs.emails() == []  # it died within the send
    jobs.worker("second")

    wait_for(lambda: len(jobs.emails()) >= 3, timeout=60, what=f"3 e-mails\n{jobs.log()}")
    took = time.monotonic() - killed
    time.sleep(6)  # another restore sweep of unacknowledged messages: no late duplicate

    assert took < 60
    sent = [int(m["X-Aftersales-Notification"]) for m in jobs.emails()]
    assert sorted(sent) == sorted(notes)
    assert EmailDelivery.objects.count() == 3
    assert OutboxMessage.objects.filter(done_at__isnull=False).count() == 3

"""GET /health/ answers whether the database, the broker and the shared cache answer."""

from __future__ import annotations

import os
import time

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_healthy_without_a_broker_where_jobs_run_in_process(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@override_settings(HEALTH_CHECK_BROKER=True, CELERY_BROKER_URL=REDIS_URL)
def test_healthy_with_the_broker_answering(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@override_settings(HEALTH_CHECK_BROKER=True, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_degraded_when_the_broker_is_down_and_says_so_quickly(client):
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < 5
    # The outbox keeps the work: the web process still serves, so it is not taken away.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unavailable"}


def test_unavailable_when_the_database_does_not_answer(client, monkeypatch):
    from core import health

    monkeypatch.setattr(health, "_database", lambda: False)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}

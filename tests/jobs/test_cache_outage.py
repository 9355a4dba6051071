"""With the shared cache (Redis) not answering, pages and writes still answer, rate limits still
count (in the process), the outage is logged once, and /health/ says the cache is degraded;
once Redis answers again it is used again."""

from __future__ import annotations

import logging
import shutil
import time

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config.settings.base import cache_config
from core import cache as fail_safe
from tests.jobs.processes import free_port, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The compose layout's cache, on a port where nothing listens."""
    settings.CACHES = {"default": cache_config(f"redis://127.0.0.1:{free_port()}/1")}
    settings.CATALOGUE_CACHE_SECONDS = 60
    settings.DASHBOARD_CACHE_SECONDS = 60
    yield
    fail_safe._down_until.clear()


def test_with_redis_down_a_buyer_logs_in_browses_and_files_and_the_merchant_answers(
    redis_down, wf, buyer, merchant, caplog
):
    wf.now = None
    order = wf.order("shipped")
    shopper = Client()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        logged_in = shopper.post(
            reverse("login"), {"username": buyer.username, "password": "pass-1234"}
        )
        home = shopper.get(reverse("home"))
        search = shopper.get(reverse("home"), {"q": "Jacket"})
        filed = shopper.post(
            reverse("refund-new", args=[order.pk]),
            {"kind": "refund_only", "reason": "quality_problem", "amount": "100.00"},
        )
        seller = Client()
        seller.force_login(merchant)
        refund = order.refunds.get()
        queue = seller.get(reverse("seller-queue"))
        dashboard = seller.get(reverse("penalty-dashboard"))
        approved = seller.post(reverse("seller-refund-approve", args=[refund.pk]))

    assert logged_in.status_code == 302 and "_auth_user_id" in shopper.session
    assert home.status_code == 200 and "Jacket" in home.content.decode()
    assert search.status_code == 200
    assert filed.status_code == 302
    assert queue.status_code == 200 and dashboard.status_code == 200
    assert approved.status_code == 302
    refund.refresh_from_db()
    assert refund.state == "refunded"
    outage = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(outage) == 1  # logged once, not once per request


def test_with_redis_down_the_login_limit_still_counts_in_the_process(redis_down, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "2/minute",
        },
    }
    client = Client()

    codes = [
        client.post(reverse("login"), {"username": f"someone{i}", "password": "x"}).status_code
        for i in range(3)
    ]

    assert codes == [200, 200, 429]


def test_with_redis_down_the_api_files_a_refund(redis_down, wf, buyer):
    wf.now = None
    order = wf.order("shipped")
    client = Client()
    client.force_login(buyer)

    filed = client.post(
        "/api/v1/refunds/",
        {
            "order": order.pk,
            "kind": "refund_only",
            "reason": "quality_problem",
            "amount": "100.00",
            "description": "torn",
        },
        content_type="application/json",
    )

    assert filed.status_code == 201


def test_health_says_the_cache_is_degraded_and_still_answers_200(redis_down, client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_a_redis_that_does_not_answer_is_left_alone_for_a_while(redis_down, monkeypatch):
    from django.core.cache.backends.redis import RedisCacheClient

    asked = []
    real_get_client = RedisCacheClient.get_client

    def counting(self, *args, **kwargs):
        asked.append(1)
        return real_get_client(self, *args, **kwargs)

    monkeypatch.setattr(RedisCacheClient, "get_client", counting)
    for i in range(50):
        cache.get(f"key-{i}")

    assert len(asked) == 1  # the requests meanwhile do not each wait on it


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server to start")
def test_once_redis_answers_again_the_process_uses_it_again(settings, tmp_path, monkeypatch):
    from tests.jobs.processes import Jobs

    monkeypatch.setattr(fail_safe, "RETRY_SECONDS", 0.2)
    port = free_port()
    settings.CACHES = {"default": cache_config(f"redis://127.0.0.1:{port}/1")}
    direct = redis.Redis(port=port, db=1, socket_connect_timeout=0.5)
    jobs = Jobs(tmp_path, f"redis://127.0.0.1:{port}/0")
    try:
        server = jobs.redis(port)
        wait_for(lambda: _answers(direct), timeout=10, what="redis-server")
        cache.set("shared", 1)
        assert direct.exists(cache.make_key("shared"))

        jobs.kill(server)
        assert cache.get("shared") is None  # a miss, not an error
        cache.set("local", 2)
        assert cache.get("local") == 2  # kept by the process meanwhile

        jobs.redis(port)
        wait_for(lambda: _answers(direct), timeout=10, what="redis-server again")
        time.sleep(0.3)
        cache.set("shared", 3)
        assert cache.get("shared") == 3
        assert direct.exists(cache.make_key("shared"))
    finally:
        jobs.stop()
        fail_safe._down_until.clear()


def _answers(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.exceptions.ConnectionError:
        return False

"""The compose layout with its one Redis (broker and cache) stopped: gunicorn with the production
settings still logs a buyer in, shows the catalogue and files a refund, and lets the merchant
approve it, every answer 2xx or 3xx; once Redis is back, the worker that waited through the
outage e-mails every notice exactly once.

PostgreSQL only (the processes share the test database), with a `redis-server` of its own."""

from __future__ import annotations

import http.client
import shutil
import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from core.models import EmailDelivery, Notification, OutboxMessage
from disputes.models import RefundRequest, RefundState
from tests.jobs.processes import Jobs, database_url, free_port, gunicorn, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server to start"),
]


class Browser:
    """A person's browser behind the HTTPS proxy: keeps cookies (Secure ones too: the proxy
    speaks HTTPS to them) and sends the form's CSRF token back."""

    def __init__(self, get):
        self.port = get.port
        self.cookies: dict[str, str] = {}
        self.statuses: list[tuple[str, str, int]] = []

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {
            "Host": "localhost",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.5",
            "Accept-Language": "en",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": "https://localhost",
                "Referer": f"https://localhost{path}",
            }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
        finally:
            connection.close()
        self.statuses.append((method, path, response.status))
        return response.status, text

    def get(self, path: str) -> str:
        return self.request("GET", path)[1]

    def post(self, path: str, form: dict, *, page: str | None = None) -> int:
        self.get(page or path)  # the page with the form sets the CSRF cookie
        return self.request("POST", path, form)[0]

    def log_in(self, username: str) -> int:
        return self.post(reverse("login"), {"username": username, "password": "pass-1234"})


@pytest.fixture
def people(wf, buyer, merchant):
    """The buyer with a shipped order and the merchant, with passwords production can check."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        for user in (buyer, merchant):
            user.password = make_password("pass-1234")
            user.save(update_fields=["password"])
    wf.now = None
    return wf.order("shipped")


def test_with_its_redis_stopped_the_site_works_and_every_notice_is_emailed_once_it_is_back(
    tmp_path, people, buyer, merchant, product
):
    order = people
    port = free_port()
    broker, cache = f"redis://127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/1"
    jobs = Jobs(tmp_path / "jobs", broker, CACHE_URL=cache)
    try:
        redis = jobs.redis(port)
        worker = jobs.worker()
        jobs.beat()
        with gunicorn(
            tmp_path,
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=broker,
            CACHE_URL=cache,
            FORWARDED_ALLOW_IPS="127.0.0.1",  # the test stands where the proxy would
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
            DJANGO_SETTINGS_MODULE="tests.jobs.web_settings",
        ) as get:
            wait_for(lambda: "ready" in jobs.log(), timeout=60, what=f"the worker\n{jobs.log()}")
            jobs.kill(redis)
            health = get("/health/")

            shopper = Browser(get)
            assert shopper.log_in(buyer.username) == 302, get.log()
            assert product.title in shopper.get(reverse("home"))
            shopper.get(reverse("product-detail", args=[product.pk]))
            filed = shopper.post(
                reverse("refund-new", args=[order.pk]),
                {
                    "kind": "refund_only",
                    "reason": "quality_problem",
                    "amount": str(order.total),
                    "description": "torn",
                },
            )
            refund = RefundRequest.objects.get(order=order)
            shopper.get(reverse("refund-detail", args=[refund.pk]))

            seller = Browser(get)
            assert seller.log_in(merchant.username) == 302
            seller.get(reverse("seller-queue"))
            approved = seller.post(
                reverse("seller-refund-approve", args=[refund.pk]),
                {},
                page=reverse("seller-refund", args=[refund.pk]),
            )

            answers = shopper.statuses + seller.statuses
            assert all(200 <= status < 400 for _method, _path, status in answers), (
                answers,
                get.log(),
            )
            assert filed == 302 and approved == 302
            assert health[0] == 200 and b'"status": "degraded"' in health[2]
            refund.refresh_from_db()
            assert refund.state == RefundState.REFUNDED
            emailed = Notification.objects.exclude(recipient__email="")
            assert emailed.count() >= 2  # the merchant of the filing, the buyer of the refund
            assert not OutboxMessage.objects.filter(done_at__isnull=False).exists()

            jobs.redis(port)
            wait_for(
                lambda: len(jobs.emails()) >= emailed.count(),
                timeout=90,
                what=f"{emailed.count()} e-mails\n{jobs.log()}",
            )
            time.sleep(5)  # more relays, a restore sweep: nothing more may arrive

        sent = [int(m["X-Aftersales-Notification"]) for m in jobs.emails()]
        assert sorted(sent) == sorted(emailed.values_list("pk", flat=True))
        assert EmailDelivery.objects.count() == len(sent)
        assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
        assert worker.poll() is None  # it waited through the outage instead of exiting
    finally:
        jobs.stop()

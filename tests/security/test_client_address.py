"""Behind the proxy, each client is its own address: taken from the hops the proxies appended to
X-Forwarded-For, believed only from the proxy itself. A stranger's wrong passwords lock the
account out for the stranger's address only; from many addresses, they ask the owner for a short
wait, never a lockout."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from core import throttling
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "/api/v1/auth/token/"
PROXY = "172.30.0.1"


@pytest.fixture
def behind_the_proxy(settings):
    """The compose layout: one proxy, at the network's gateway."""
    settings.TRUSTED_PROXY_HOPS = 1
    settings.TRUSTED_PROXIES = [PROXY]


def via_proxy(client_address: str, written_by_client: str = "") -> dict:
    forwarded = ", ".join(filter(None, [written_by_client, client_address]))
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended(behind_the_proxy, rf):
    request = rf.get("/", **via_proxy("203.0.113.7", written_by_client="6.6.6.6"))

    assert throttling.client_ip(request) == "203.0.113.7"


def test_a_client_going_around_the_proxy_cannot_choose_its_address(behind_the_proxy, rf):
    request = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert throttling.client_ip(request) == "198.51.100.9"


def test_behind_two_proxies_the_client_is_two_hops_from_the_right(settings, rf):
    settings.TRUSTED_PROXY_HOPS = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get(
        "/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.9.9.9"
    )

    assert throttling.client_ip(request) == "203.0.113.7"


def test_without_trusted_hops_the_forwarded_header_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert throttling.client_ip(request) == PROXY


def test_a_forwarded_value_that_is_no_address_is_not_taken(behind_the_proxy, rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="evil")

    assert throttling.client_ip(request) == PROXY


def test_a_stranger_behind_the_proxy_cannot_lock_the_owner_out(behind_the_proxy, client, settings):
    factories.UserFactory(username="merchant7")
    stranger = via_proxy("203.0.113.66")

    refused = [
        client.post(TOKEN, {"username": "merchant7", "password": f"guess-{i}"}, **stranger)
        for i in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    owner = client.post(
        TOKEN, {"username": "merchant7", "password": "pass-1234"}, **via_proxy("198.51.100.20")
    )

    assert refused[-1].status_code == 429  # the stranger's address is locked out
    assert owner.status_code == 200 and owner.json()["token"]


def test_the_login_page_limit_is_per_client_behind_the_proxy(behind_the_proxy, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "2/minute",
        },
    }
    url = reverse("login")

    def attempt(address: str) -> int:
        return client.post(url, {"username": "nobody", "password": "x"}, **via_proxy(address))

    first = [attempt("203.0.113.1").status_code for _ in range(3)]
    second = attempt("203.0.113.2").status_code

    assert first == [200, 200, 429]
    assert second == 200


@pytest.fixture
def soft_limit(behind_the_proxy, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login_account": "3/hour",
        },
    }
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 10


def test_wrong_passwords_from_many_addresses_ask_the_owner_to_wait_not_locked_out(
    soft_limit, client, monkeypatch
):
    factories.UserFactory(username="agent9")
    for i in range(3):
        client.post(
            TOKEN, {"username": "agent9", "password": "wrong"}, **via_proxy(f"203.0.113.{i}")
        )
    owner = via_proxy("198.51.100.20")
    right = {"username": "agent9", "password": "pass-1234"}

    first = client.post(TOKEN, {"username": "agent9", "password": "wrong"}, **owner)
    too_soon = client.post(TOKEN, right, **owner)
    counted_for_the_owner = AccessAttempt.objects.get(ip_address="198.51.100.20")
    later = time.time() + 11  # the clock of the limit and of the cache alike
    monkeypatch.setattr(time, "time", lambda: later)
    after_the_wait = client.post(TOKEN, right, **owner)

    assert first.status_code == 400  # the first attempt of each delay is checked
    assert too_soon.status_code == 429
    assert too_soon.json()["code"] == "locked_out"
    assert 1 <= int(too_soon["Retry-After"]) <= 10
    # Asked to wait, the owner was not counted towards axes' lockout of their address.
    assert counted_for_the_owner.failures_since_start == 1
    assert after_the_wait.status_code == 200 and after_the_wait.json()["token"]


def test_the_wait_is_said_in_words_on_the_login_page(soft_limit, client):
    factories.UserFactory(username="shopper3")
    for i in range(4):
        client.post(
            reverse("login"),
            {"username": "shopper3", "password": "wrong"},
            **via_proxy(f"203.0.113.{i}"),
        )

    page = client.post(
        reverse("login"),
        {"username": "shopper3", "password": "pass-1234"},
        HTTP_ACCEPT_LANGUAGE="en",
        **via_proxy("198.51.100.20"),
    )

    assert page.status_code == 429
    assert "wait" in page.content.decode() and "seconds" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_gunicorn_trusts_forwarded_headers_only_from_the_proxy_compose_names(monkeypatch):
    import yaml

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    namespace: dict = {}
    exec((ROOT / "config" / "gunicorn.py").read_text(), namespace)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["x-app"]["environment"]

    assert namespace["forwarded_allow_ips"] == "127.0.0.1,::1"  # gunicorn's own default
    assert environment["FORWARDED_ALLOW_IPS"] == "${FORWARDED_ALLOW_IPS:-172.30.0.1}"
    gateway = compose["networks"]["default"]["ipam"]["config"][0]["gateway"]
    assert gateway == "172.30.0.1"
    assert compose["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]

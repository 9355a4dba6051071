"""Finding 7: token, registration and login (page and admin) are rate-limited in the shared
cache, and django-axes locks an account out after repeated wrong passwords, on every way in."""

from __future__ import annotations

import os

import pytest
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse
from rest_framework.authtoken.models import Token

from config.settings.base import cache_config
from core import throttling
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **rates,
            },
        }

    return set_rates


def test_wrong_passwords_on_the_token_endpoint_lock_the_account_out(client_for, settings):
    user = factories.UserFactory(username="victim")
    client = client_for(None)

    wrong = [
        client.post(TOKEN, {"username": "victim", "password": f"guess-{i}"}).status_code
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    right = client.post(TOKEN, {"username": "victim", "password": "pass-1234"})

    assert wrong[: settings.AXES_FAILURE_LIMIT - 1] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    assert right.status_code == 429
    assert right.json()["code"] == "locked_out"
    assert "token" not in right.json()
    assert not Token.objects.filter(user=user).exists()


def test_a_right_password_before_the_limit_still_works(client_for, settings):
    factories.UserFactory(username="forgetful")
    client = client_for(None)
    for i in range(settings.AXES_FAILURE_LIMIT - 2):
        client.post(TOKEN, {"username": "forgetful", "password": f"guess-{i}"})

    answer = client.post(TOKEN, {"username": "forgetful", "password": "pass-1234"})

    assert answer.status_code == 200
    assert answer.json()["token"]


def test_wrong_passwords_on_the_admin_login_lock_the_account_out(client, settings):
    factories.make_agent(username="agent7")
    url = reverse("admin:login")

    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "agent7", "password": f"guess-{i}"})
    right = client.post(
        url, {"username": "agent7", "password": "pass-1234"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert right.status_code == 429
    assert "Too many failed logins" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_is_rate_limited_per_address(client_for, rates):
    rates(auth_token="3/minute")
    client = client_for(None)

    codes = [
        client.post(TOKEN, {"username": f"nobody{i}", "password": "x"}).status_code
        for i in range(4)
    ]

    assert codes == [400, 400, 400, 429]


def test_registration_is_rate_limited_per_address(client_for, rates):
    rates(register="2/hour")
    client = client_for(None)

    codes = [
        client.post(
            REGISTER, {"username": f"newcomer{i}", "password": "a-long-passphrase-9"}
        ).status_code
        for i in range(3)
    ]

    assert codes == [201, 201, 429]


def test_login_pages_are_rate_limited_per_address(client, rates):
    rates(login="2/minute")
    url = reverse("admin:login")

    codes = [
        client.post(url, {"username": f"someone{i}", "password": "x"}).status_code for i in range(3)
    ]

    assert codes == [200, 200, 429]


def test_the_cache_comes_from_the_environment():
    assert cache_config("redis://127.0.0.1:6379/1")["BACKEND"] == "core.cache.FailSafeRedisCache"
    assert cache_config("redis://127.0.0.1:6379/1")["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert cache_config("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def _redis_url() -> str:
    return (
        os.environ.get("TEST_REDIS_URL")
        or os.environ.get("REDIS_URL")
        or ("redis://127.0.0.1:6379/1")
    )


def test_two_processes_share_one_count_in_redis(monkeypatch):
    redis = pytest.importorskip("redis")
    url = _redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    # Two web processes: two separate connections to one Redis.
    first, second = (RedisCache(url, {"KEY_PREFIX": "sec-test"}) for _ in range(2))
    ident = f"ip:test-{os.getpid()}"
    verdicts = []
    try:
        for cache in (first, second, first):
            monkeypatch.setattr(throttling, "cache", cache)
            verdicts.append(throttling.hit("token", ident, "2/minute", now=600).allowed)
    finally:
        first.delete_many([f"throttle:token:{ident}:{w}" for w in (9, 10)])

    assert verdicts == [True, True, False]


def test_wrong_passwords_on_the_site_login_page_lock_the_account_out(client, settings):
    factories.UserFactory(username="shopper")
    url = reverse("login")

    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "shopper", "password": f"guess-{i}"})
    right = client.post(url, {"username": "shopper", "password": "pass-1234"})

    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多" in right.content.decode()  # the site's default language


def test_the_sign_up_page_is_rate_limited_per_address(client, rates):
    rates(register="1/hour")
    url = reverse("signup")
    password = "a-long-passphrase-9"
    form = {"username": "pagecomer", "password": password, "password_again": password}

    first = client.post(url, form)
    client.logout()
    second = client.post(url, {**form, "username": "pagecomer2"})

    assert first.status_code == 302
    assert second.status_code == 429
    assert "尝试次数过多" in second.content.decode()

import pytest
from django.conf import settings
from django.test import Client


def admin_path(rest: str = "") -> str:
    return f"/{settings.ADMIN_URL}{rest}"


@pytest.fixture
def client_for():
    """A test client logged in as `user` (each call a fresh client)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make

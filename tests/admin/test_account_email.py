"""A supervisor who gives an account an address another account uses is told so on the form,
in the reader's language; the address stays as it was (not a 500 from the unique index)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.admin.conftest import admin_path

pytestmark = pytest.mark.django_db


def _change(client, account, email):
    page = admin_path(f"auth/user/{account.pk}/change/")
    form = client.get(page).context["adminform"].form
    data = {name: form[name].value() or "" for name in ("username", "first_name", "last_name")}
    data |= {
        "email": email,
        "is_active": "on",
        "date_joined_0": "2026-12-01",
        "date_joined_1": "10:00:00",
    }
    return client.post(page, data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_an_address_of_another_account_is_refused_in_words(client_for):
    users = get_user_model().objects
    boss = users.create_superuser("boss", "boss@example.com", "pw-long-enough-1")
    users.create_user("alice", "Alice@Example.com", "pw-long-enough-1")
    bob = users.create_user("bob", "bob@example.com", "pw-long-enough-1")

    answer = _change(client_for(boss), bob, "alice@example.COM")

    assert answer.status_code == 200
    assert "此邮箱已被其他账号使用" in answer.content.decode()
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_an_address_no_other_account_uses_is_saved(client_for):
    users = get_user_model().objects
    boss = users.create_superuser("boss", "boss@example.com", "pw-long-enough-1")
    bob = users.create_user("bob", "bob@example.com", "pw-long-enough-1")

    answer = _change(client_for(boss), bob, "BOB@example.com")

    assert answer.status_code == 302
    bob.refresh_from_db()
    assert bob.email == "BOB@example.com"

"""Finding 8 (user names): registration normalises names and refuses look-alikes, invisible
characters and markup, so nobody can pose as another account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests import factories

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
PASSWORD = "a-long-passphrase-9"


def register(client_for, username: str):
    return client_for(None).post(REGISTER, {"username": username, "password": PASSWORD})


@pytest.mark.parametrize(
    ("attempt", "why"),
    [
        ("аdmin", "Cyrillic а in a Latin name"),
        ("раураl", "Cyrillic letters that all look Latin"),
        ("ad\u200bmin", "a zero-width space"),
        ("ad\u200dmin", "a zero-width joiner"),
        ("<script>x</script>", "markup"),
        ('x" onmouseover="y', "markup in an attribute"),
        ("ad min", "a space"),
        ("ab", "too short"),
    ],
)
def test_a_deceptive_or_unsafe_name_is_refused(client_for, attempt, why):
    answer = register(client_for, attempt)

    assert answer.status_code == 400, why
    assert "username" in answer.json()
    assert not get_user_model().objects.exclude(username="admin").exists()


def test_a_full_width_name_is_normalised_and_collides_with_the_real_one(client_for):
    factories.UserFactory(username="admin")

    answer = register(client_for, "ａｄｍｉｎ")

    assert answer.status_code == 400
    assert answer.json() == {"username": ["该用户名已被使用。"], "code": "username_taken"}
    assert get_user_model().objects.count() == 1


def test_a_full_width_name_is_stored_in_its_plain_form(client_for):
    answer = register(client_for, "ｗａｎｇ９")

    assert answer.status_code == 201
    assert answer.json()["username"] == "wang9"


@pytest.mark.parametrize("name", ["王小明", "wang小明", "Алексей", "john.doe_1", "ゆうこ123"])
def test_ordinary_names_in_any_one_script_are_welcome(client_for, name):
    answer = register(client_for, name)

    assert answer.status_code == 201
    assert answer.json()["username"] == name

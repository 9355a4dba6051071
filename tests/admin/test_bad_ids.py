"""An admin URL with an id that is not a number, or a path posing as one, is a 404 (not a 500),
for every page the apps add to the admin; and a query string of more fields than Django
accepts is a 400, with DEBUG on too."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.admin.conftest import admin_path

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "1%2F2", "1.5", "-1", "%20"]
# Each page the apps add, with the methods it answers.
CUSTOM_PAGES = [
    ("disputes/intervention/{id}/change/", ["get"]),
    ("disputes/intervention/{id}/rule/", ["get", "post"]),
    ("disputes/intervention/{id}/assign/", ["post"]),
    ("disputes/appeal/{id}/change/", ["get"]),
    ("disputes/appeal/{id}/decide/", ["post"]),
    ("penalties/restriction/{id}/lift/", ["get", "post"]),
    ("penalties/penaltyrecord/adjust/{id}/", ["get", "post"]),
]


@pytest.mark.parametrize(("page", "methods"), CUSTOM_PAGES)
@pytest.mark.parametrize("bad_id", [*BAD_IDS, "987654"])
def test_a_custom_admin_page_with_a_bad_id_is_not_found(
    client_for, supervisor, page, methods, bad_id
):
    client = client_for(supervisor)

    for method in methods:
        answer = getattr(client, method)(admin_path(page.format(id=bad_id)))
        assert answer.status_code == 404, (method, answer.status_code)


@pytest.mark.parametrize("debug", [False, True])
def test_more_query_fields_than_django_accepts_are_a_bad_request(client_for, supervisor, debug):
    query = "&".join(f"f{n}=1" for n in range(1500))
    with override_settings(DEBUG=debug):
        for path in ("/", admin_path("disputes/intervention/")):
            answer = client_for(supervisor).get(f"{path}?{query}")
            assert answer.status_code == 400, (path, answer.status_code)

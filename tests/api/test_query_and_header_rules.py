"""A list's `page` and `page_size`, and the Idempotency-Key header, follow the rules the schema
declares: a value the schema refuses is a 400 naming it, not silently replaced or trimmed."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/refunds/", "/api/v1/orders/", "/api/v1/notifications/", "/api/v1/products/"]


@pytest.fixture
def schema():
    return Client().get("/api/schema/?format=json").json()


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query",
    ["page_size=abc", "page_size=0", "page_size=101", "page_size=1.5", "page_size=%EF%BC%95"],
)
def test_a_page_size_that_is_no_whole_number_in_range_is_a_400(client_for, buyer, path, query):
    answer = client_for(buyer).get(f"{path}?{query}")

    assert answer.status_code == 400
    assert set(answer.json()) == {"page_size", "code"}


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=last", "page=1&page=2"])
def test_a_page_that_is_no_whole_number_is_a_400(client_for, buyer, query):
    answer = client_for(buyer).get(f"/api/v1/refunds/?{query}")

    assert answer.status_code == 400
    assert set(answer.json()) == {"page", "code"}


def test_a_page_size_in_range_is_honoured_and_a_page_past_the_last_is_a_404(wf, buyer, client_for):
    for _ in range(3):
        wf.refund("requested")
    client = client_for(buyer)

    first = client.get("/api/v1/refunds/?page_size=2")
    past = client.get("/api/v1/refunds/?page_size=2&page=3")

    assert first.status_code == 200
    assert len(first.json()["results"]) == 2
    assert first.json()["count"] == 3
    assert past.status_code == 404
    assert past.json()["code"] == "not_found"


@pytest.mark.parametrize("path", LISTS)
def test_every_list_declares_its_400_and_404_and_typed_page_parameters(schema, path):
    operation = schema["paths"][path]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}

    assert {"400", "404"} <= set(operation["responses"])
    assert parameters["page"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 100}


@pytest.mark.parametrize(
    "key", ["", " key", "key ", "two words", "x" * 256, "ключ", "tab\tin"], ids=repr
)
def test_an_idempotency_key_the_schema_refuses_is_a_400_that_moves_nothing(
    wf, merchant, client_for, key
):
    refund = wf.refund("requested")

    answer = client_for(merchant).post(
        f"/api/v1/refunds/{refund.pk}/approve/", HTTP_IDEMPOTENCY_KEY=key
    )

    assert answer.status_code == 400
    assert set(answer.json()) == {"Idempotency-Key", "code"}
    refund.refresh_from_db()
    assert refund.state == "requested"


def test_a_uuid_and_a_key_of_255_characters_are_honoured(wf, merchant, client_for):
    client = client_for(merchant)
    for key in (str(uuid.uuid4()), "k" * 255):
        refund = wf.refund("requested")
        first = client.post(f"/api/v1/refunds/{refund.pk}/approve/", HTTP_IDEMPOTENCY_KEY=key)
        again = client.post(f"/api/v1/refunds/{refund.pk}/approve/", HTTP_IDEMPOTENCY_KEY=key)
        assert first.status_code == 200
        assert again["Idempotent-Replayed"] == "true"


def test_every_operation_that_honours_the_key_declares_its_rules(schema):
    declared = [
        parameter["schema"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "Idempotency-Key"
    ]

    assert len(declared) >= 20
    for rules in declared:
        assert rules["minLength"] == 1
        assert rules["maxLength"] == 255
        assert rules["pattern"] == "^[\\x21-\\x7e]{1,255}$"

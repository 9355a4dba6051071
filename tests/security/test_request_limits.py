"""Finding 6 (the parsing part) and 8 (upload size): bodies are bounded before they are parsed
or read, and a hostile body is a 400 or 413, never a 500."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from core.api.parsers import json_depth_exceeds
from disputes.models import Evidence, RefundRequest
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400_on_an_open_endpoint(client_for, depth):
    # (as was: a RecursionError, answered 500)
    answer = client_for(None).post(
        "/api/v1/auth/token/", nested(depth), content_type="application/json"
    )

    assert answer.status_code == 400
    assert "nested" in answer.json()["detail"]


def test_deeply_nested_json_with_an_idempotency_key_is_a_400(wf, buyer, client_for):
    order = wf.order("shipped")
    body = {"order": order.pk, "kind": "refund_only", "reason": "wrong_item", "amount": "1"}
    body["description"] = json.loads(nested(40))

    answer = client_for(buyer).post(
        "/api/v1/refunds/",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="deep-1",
    )

    assert answer.status_code == 400
    assert not RefundRequest.objects.exists()


def test_brackets_inside_strings_do_not_count_as_depth(wf, buyer, client_for):
    order = wf.order("shipped")
    body = {
        "order": order.pk,
        "kind": "refund_only",
        "reason": "wrong_item",
        "amount": "1.00",
        "description": '[[[[{{{{"\\"' * 20,
    }

    answer = client_for(buyer).post("/api/v1/refunds/", body, format="json")

    assert answer.status_code == 201
    assert not json_depth_exceeds(json.dumps(body), 1)


def test_a_json_body_over_the_limit_is_a_413_before_parsing(client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"username": "x" * 2000, "password": "y"})

    answer = client_for(None).post("/api/v1/auth/token/", body, content_type="application/json")

    assert answer.status_code == 413
    assert answer.json()["code"] == "request_too_large"


def test_an_upload_over_the_limit_is_a_413_and_stores_nothing(wf, buyer, client_for, settings):
    settings.UPLOAD_MAX_BODY_BYTES = 4096
    refund = wf.refund("requested")
    big = upload(image_bytes() + b"\0" * 8192, "big.png")

    answer = client_for(buyer).post(
        f"/api/v1/refunds/{refund.pk}/evidence/", {"image": big}, format="multipart"
    )

    assert answer.status_code == 413
    assert not Evidence.objects.exists()


def test_a_page_body_over_the_limit_is_a_plain_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    answer = client.post(
        "/admin/login/",
        urlencode({"username": "x" * 4000, "password": "y"}),
        content_type="application/x-www-form-urlencoded",
    )

    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("text", "deeper_than_2"),
    [
        ("[]", False),
        ('{"a": [1, {"b": 2}]}', True),
        ('{"a": [1, 2], "b": {"c": 3}}', False),
        ('["]]]]", "[[[["]', False),
        ('["\\"[[[[["]', False),
        ("[[[", True),
        ("[[]]]]]", False),  # unmatched closers: json itself refuses them
    ],
)
def test_depth_counts_brackets_outside_strings(text, deeper_than_2):
    assert json_depth_exceeds(text, 2) is deeper_than_2


def test_an_unclosed_100000_deep_body_is_a_400(client_for):
    answer = client_for(None).post(
        "/api/v1/auth/token/", "[" * 100_000, content_type="application/json"
    )

    assert answer.status_code == 400

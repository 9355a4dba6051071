"""Every answer under /api/ is JSON, Django's own refusals included: a path no route matches,
more files or fields than Django reads, with DEBUG off and on."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from PIL import Image

pytestmark = pytest.mark.django_db


def _assert_json(answer, status: int) -> dict:
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"].startswith("application/json"), answer["Content-Type"]
    return answer.json()


def _png(n: int):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = f"photo-{n}.png"
    return buffer


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/refunds/1.5/",
        "/api/v1/refunds/abc/approve/",
        "/api/v1/no-such-thing/",
        "/api/v2/",
        "/api/",
    ],
)
def test_a_path_no_route_matches_is_a_json_404(client_for, buyer, path):
    body = _assert_json(client_for(buyer).get(path), 404)

    assert body["code"] == "not_found"
    assert set(body) == {"code", "detail"}


def test_a_page_path_no_route_matches_is_still_a_page(client):
    answer = client.get("/no-such-page/")

    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("debug", [False, True])
def test_ten_files_in_one_request_are_a_json_400(wf, buyer, client_for, settings, debug):
    refund = wf.refund("requested")
    settings.DEBUG = debug

    answer = client_for(buyer).post(
        f"/api/v1/refunds/{refund.pk}/evidence/",
        {"image": [_png(n) for n in range(10)]},
        format="multipart",
    )

    body = _assert_json(answer, 400)
    assert body["code"] == "too_many_files"
    assert refund.evidence.count() == 0


@pytest.mark.parametrize("debug", [False, True])
def test_more_form_fields_than_django_reads_are_a_json_400(wf, buyer, client_for, debug):
    order = wf.order("delivered")
    fields = f"order={order.pk}&kind=refund_only&reason=quality_problem&amount=1&" + "&".join(
        f"f{n}=1" for n in range(1001)
    )

    with override_settings(DEBUG=debug):
        answer = client_for(buyer).generic(
            "POST", "/api/v1/refunds/", fields, content_type="application/x-www-form-urlencoded"
        )

    assert _assert_json(answer, 400)["code"] == "too_many_fields"
    assert not order.refunds.exists()


@pytest.mark.parametrize("debug", [False, True])
def test_more_query_parameters_than_django_reads_are_a_json_400(client_for, buyer, debug):
    query = "&".join(f"f{n}=1" for n in range(1001))

    with override_settings(DEBUG=debug):
        answer = client_for(buyer).get(f"/api/v1/refunds/?{query}")

    assert _assert_json(answer, 400)["code"] == "too_many_fields"

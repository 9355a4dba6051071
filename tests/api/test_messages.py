"""`GET`/`POST /api/v1/refunds/{id}/messages/`: 协商记录 through the API, its refusals and its
schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from disputes import services as ds
from disputes.models import Message
from tests import factories
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def _url(refund) -> str:
    return f"/api/v1/refunds/{refund.pk}/messages/"


def _photo(name="p.png"):
    return upload(image_bytes(), name)


def test_a_buyer_writes_with_photos_and_the_shop_reads_it(wf, buyer, merchant, client_for):
    refund = wf.refund("requested")

    written = client_for(buyer).post(
        _url(refund), {"text": "See the tear", "image": [_photo(), _photo()]}, format="multipart"
    )
    read = client_for(merchant).get(_url(refund))

    assert written.status_code == 201
    assert written.data["party"] == "buyer"
    assert written.data["text"] == "See the tear"
    assert written.data["refund"] == refund.pk
    assert len(written.data["images"]) == 2
    image = written.data["images"][0]
    assert image["image"] == "http://testserver" + reverse("message-image-file", args=[image["id"]])
    assert image["content_type"] == "image/png"
    assert "author" not in written.data
    assert read.status_code == 200
    assert read.data["count"] == 1
    assert read.data["results"] == [written.data]
    assert client_for(merchant).get(image["image"]).status_code == 200
    assert Notification.objects.filter(recipient=merchant, kind="refund_message").exists()


def test_the_list_is_oldest_first(wf, buyer, merchant, client_for):
    refund = wf.refund("requested")
    for actor, text in ((buyer, "one"), (merchant, "two"), (buyer, "three")):
        ds.refund_message_write(refund=refund, actor=actor, text=text)

    answer = client_for(buyer).get(_url(refund))

    assert [(m["party"], m["text"]) for m in answer.data["results"]] == [
        ("buyer", "one"),
        ("merchant", "two"),
        ("buyer", "three"),
    ]


def test_another_partys_request_is_404_for_reading_and_writing(wf, client_for):
    refund = wf.refund("requested")
    ds.refund_message_write(refund=refund, actor=wf.buyer, text="private")

    for stranger in (factories.UserFactory(), factories.make_merchant()):
        client = client_for(stranger)
        assert client.get(_url(refund)).status_code == 404
        assert client.post(_url(refund), {"text": "hi"}, format="multipart").status_code == 404
    assert Message.objects.count() == 1


def test_without_credentials_it_is_401(wf, client_for):
    refund = wf.refund("requested")

    assert client_for(None).get(_url(refund)).status_code == 401


def test_an_agent_reads_and_writes_only_once_escalated(wf, agent, client_for):
    requested = wf.refund("requested")
    escalated = wf.refund("in_intervention")
    client = client_for(agent)

    before = client.post(_url(requested), {"text": "hello"}, format="multipart")
    read_before = client.get(_url(requested))
    after = client.post(_url(escalated), {"text": "Send the label"}, format="multipart")

    assert before.status_code == 403
    assert before.data["code"] == "not_in_conversation"
    assert read_before.status_code == 403
    assert after.status_code == 201
    assert after.data["party"] == "platform"
    assert client.get(_url(escalated)).data["count"] == 1


def test_a_finished_request_refuses_a_message_with_409(wf, buyer, client_for):
    refund = wf.refund("refunded")

    answer = client_for(buyer).post(_url(refund), {"text": "thanks"}, format="multipart")

    assert answer.status_code == 409
    assert answer.data["code"] == "messages_closed"
    assert answer.data["state"] == "refunded"
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"text": " "}, "message_empty", "text"),
        ({"text": "x", "image": [_photo() for _ in range(4)]}, "message_image_limit", "image"),
        ({"text": "x", "image": [upload(b"not an image", "x.png")]}, "image_unreadable", "image"),
    ],
)
def test_what_was_typed_is_refused_with_400_naming_the_field(
    wf, buyer, client_for, body, code, field
):
    refund = wf.refund("requested")

    answer = client_for(buyer).post(_url(refund), body, format="multipart")

    assert answer.status_code == 400
    assert answer.data["code"] == code
    assert field in answer.data
    assert not Message.objects.exists()


def test_a_text_longer_than_the_rules_allow_is_a_400(wf, buyer, client_for, settings):
    refund = wf.refund("requested")
    settings.PLATFORM_RULES = {"max_text_length": 5}

    answer = client_for(buyer).post(_url(refund), {"text": "toolong"}, format="multipart")

    assert answer.status_code == 400
    assert "text" in answer.data
    assert not Message.objects.exists()


def test_writing_too_fast_is_throttled_with_429(wf, buyer, client_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "refund_message": "2/minute",
        },
    }
    refund = wf.refund("requested")
    client = client_for(buyer)

    codes = [
        client.post(_url(refund), {"text": f"m{n}"}, format="multipart").status_code
        for n in range(3)
    ]

    assert codes == [201, 201, 429]
    assert client.get(_url(refund)).status_code == 200  # reading is not counted
    assert Message.objects.count() == 2


def test_the_same_idempotency_key_writes_once(wf, buyer, client_for):
    refund = wf.refund("requested")
    client = client_for(buyer)

    first, again = (
        client.post(
            _url(refund), {"text": "once"}, format="multipart", HTTP_IDEMPOTENCY_KEY="msg-1"
        )
        for _ in range(2)
    )

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Message.objects.count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, {"page_size": 100})
    assert answer.status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_1_and_50_messages(wf, buyer, merchant, client_for):
    refund = wf.refund("requested")
    client = client_for(buyer)
    ds.refund_message_write(refund=refund, actor=buyer, text="one", images=[_photo()])
    one = _queries(client, _url(refund))
    for n in range(49):
        ds.refund_message_write(
            refund=refund, actor=merchant if n % 2 else buyer, text=f"m{n}", images=[_photo()]
        )

    assert _queries(client, _url(refund)) == one


def test_the_schema_documents_reading_and_writing_messages(client_for):
    schema = client_for(None).get("/api/schema/", {"format": "json"}).json()

    path = schema["paths"]["/api/v1/refunds/{id}/messages/"]
    assert set(path) >= {"get", "post"}
    assert "multipart/form-data" in path["post"]["requestBody"]["content"]
    assert {"201", "400", "403", "404", "409", "429"} <= set(path["post"]["responses"])
    assert {"200", "403", "404"} <= set(path["get"]["responses"])
    listed = path["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "Paginated" in listed["$ref"]

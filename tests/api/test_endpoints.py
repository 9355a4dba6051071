"""Smaller promises of the API: the docs, evidence uploads, session auth, the dashboard."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from disputes.models import Evidence

pytestmark = pytest.mark.django_db


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_schema_and_the_docs_are_served_without_a_cdn():
    client = APIClient()

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/refunds/{id}/approve-without-return/" in schema.content
    assert docs.status_code == 200
    assert b"drf_spectacular_sidecar" in docs.content
    assert b"cdn." not in docs.content


def test_a_buyer_uploads_an_evidence_image_and_junk_is_refused(wf, buyer, client_for):
    refund = wf.refund("requested")
    client = client_for(buyer)

    stored = client.post(
        f"/api/v1/refunds/{refund.pk}/evidence/", {"image": png()}, format="multipart"
    )
    junk = client.post(
        f"/api/v1/refunds/{refund.pk}/evidence/",
        {"image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")},
        format="multipart",
    )

    assert stored.status_code == 201
    assert stored.data[0]["party"] == "buyer"
    assert stored.data[0]["content_type"] == "image/png"
    assert junk.status_code == 400
    assert "image" in junk.data
    assert Evidence.objects.filter(refund=refund).count() == 1


def test_session_auth_works_for_a_logged_in_browser(wf, buyer):
    order = wf.order("shipped")
    client = APIClient()
    assert client.login(username=buyer.username, password="pass-1234")

    response = client.get(f"/api/v1/orders/{order.pk}/")

    assert response.status_code == 200
    assert response.data["available_actions"] == ["confirm-receipt"]


def test_refund_shows_whose_move_deadline_and_actions_to_each_party(
    wf, buyer, merchant, client_for
):
    wf.now = timezone.now()  # the API acts at the present moment
    refund = wf.refund("rejected")

    as_buyer = client_for(buyer).get(f"/api/v1/refunds/{refund.pk}/").data
    as_merchant = client_for(merchant).get(f"/api/v1/refunds/{refund.pk}/").data

    assert as_buyer["whose_move"] == as_merchant["whose_move"] == "buyer"
    assert as_buyer["deadline"] == as_merchant["deadline"] is not None
    assert set(as_buyer["available_actions"]) == {"revise", "escalate", "cancel"}
    assert as_merchant["available_actions"] == []
    assert as_buyer["intervention"] is None


def test_once_the_buyers_window_has_closed_revise_and_escalate_are_no_longer_offered(
    wf, buyer, client_for
):
    # given a request rejected eight days ago (the buyer had seven to revise or escalate)
    wf.now = timezone.now() - timedelta(days=8)
    refund = wf.refund("rejected")

    # then the buyer is offered only to cancel, and revising is refused as the offer says
    client = client_for(buyer)
    assert client.get(f"/api/v1/refunds/{refund.pk}/").data["available_actions"] == ["cancel"]
    answer = client.post(f"/api/v1/refunds/{refund.pk}/escalate/", {"statement": "Broken"})
    assert answer.status_code == 409


def test_the_dashboard_shows_points_against_the_threshold(wf, merchant, client_for):
    wf.intervention("ruled")

    dashboard = client_for(merchant).get("/api/v1/merchant/dashboard/").data

    assert dashboard["points"] == 2
    assert dashboard["threshold"] == 12
    assert dashboard["restriction"] is None
    assert dashboard["records"][0]["kind"] == "dispute_lost"
    assert dashboard["records"][0]["ruling"]["outcome"] == "buyer_full_refund"
    assert dashboard["refund_responses"]["answered"] == 1


def test_a_case_shows_each_caller_whose_move_and_what_they_may_do(
    wf, buyer, merchant, agent, supervisor, client_for
):
    wf.now = timezone.now()  # the API acts at the present moment
    intervention = wf.intervention("awaiting_evidence")
    url = f"/api/v1/interventions/{intervention.pk}/"

    as_buyer = client_for(buyer).get(url).data
    as_merchant = client_for(merchant).get(url).data
    as_agent = client_for(agent).get(url).data

    # the shop must give its evidence by the window's end; both parties may still add some
    for answer in (as_buyer, as_merchant, as_agent):
        assert answer["whose_move"] == "merchant"
        assert answer["deadline"] == as_buyer["deadline"] is not None
    assert as_buyer["available_actions"] == ["evidence"]
    assert as_merchant["available_actions"] == ["evidence"]
    assert as_agent["available_actions"] == []
    # only the agent sees the buyer's record
    assert as_buyer["buyer_history"] is None
    assert as_merchant["buyer_history"] is None
    assert as_agent["buyer_history"] == {
        "refunds_filed": 1,
        "interventions_won": 0,
        "interventions_lost": 0,
    }

    # once the shop has answered, the agent rules; after the ruling, the shop may appeal
    client_for(merchant).post(f"{url}evidence/", {"statement": "Used item"}, format="json")
    assert client_for(agent).get(url).data["available_actions"] == ["rule"]
    assert client_for(agent).get(url).data["whose_move"] == "platform"
    wf.rule_against_merchant(intervention)
    assert client_for(merchant).get(url).data["available_actions"] == ["appeal"]
    assert client_for(buyer).get(url).data["available_actions"] == []
    assert client_for(supervisor).get(url).data["available_actions"] == []

"""The case page shows the request's messages with their photos, and the agent writes one to
both parties from it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from disputes import services as ds
from disputes.models import Message
from tests.admin.conftest import admin_path, png

pytestmark = pytest.mark.django_db


def case_url(case) -> str:
    return admin_path(f"disputes/intervention/{case.pk}/change/")


def message_url(case) -> str:
    return admin_path(f"disputes/intervention/{case.pk}/message/")


def test_the_case_page_shows_both_sides_messages_and_photos(client_for, agent, wf):
    case = wf.intervention("awaiting_evidence")
    mine = ds.refund_message_write(
        refund=case.refund, actor=wf.buyer, text="看照片", images=[png()]
    )
    ds.refund_message_write(refund=case.refund, actor=wf.merchant, text="We will check")

    page = client_for(agent).get(case_url(case)).content.decode()

    section = page[page.index('id="messages"') :]
    assert "看照片" in section
    assert "We will check" in section
    assert f'src="{reverse("message-image-file", args=[mine.images.get().pk])}"' in section
    assert wf.merchant.username in section  # the agent sees who wrote it


def test_the_agent_writes_to_both_parties(client_for, agent, wf):
    case = wf.intervention("awaiting_evidence")
    Notification.objects.all().delete()

    answer = client_for(agent).post(
        message_url(case), {"text": "Please send the courier's receipt.", "image": [png()]}
    )

    assert answer.status_code == 302
    assert answer["Location"].endswith("#messages")
    message = Message.objects.get()
    assert (message.party, message.author, message.images.count()) == ("platform", agent, 1)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        wf.buyer.pk,
        wf.merchant.pk,
    }


def test_a_refused_message_keeps_its_text_on_the_case_page(client_for, agent, wf):
    case = wf.intervention("awaiting_evidence")

    answer = client_for(agent).post(
        message_url(case), {"text": "four photos", "image": [png() for _ in range(4)]}
    )

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "four photos</textarea>" in page
    assert "3" in page and not Message.objects.exists()


def test_a_finished_case_shows_no_form_and_refuses_a_message(client_for, agent, wf):
    case = wf.intervention("awaiting_evidence")
    ds.refund_concede(refund=case.refund, actor=wf.merchant)

    page = client_for(agent).get(case_url(case)).content.decode()
    answer = client_for(agent).post(message_url(case), {"text": "late"}, follow=True)

    assert message_url(case) not in page
    assert not Message.objects.exists()
    assert any("不能再留言" in str(m) for m in answer.context["messages"])


def test_the_case_page_runs_the_same_queries_for_1_and_50_messages(client_for, agent, wf):
    case = wf.intervention("awaiting_evidence")
    client = client_for(agent)
    ds.refund_message_write(refund=case.refund, actor=wf.buyer, text="one", images=[png()])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(case_url(case)).status_code == 200
        return len(captured)

    one = queries()
    for n in range(49):
        actor = wf.merchant if n % 2 else wf.buyer
        ds.refund_message_write(refund=case.refund, actor=actor, text=f"m{n}", images=[png()])

    assert queries() == one


def test_messages_are_listed_read_only_in_the_admin(client_for, supervisor, wf):
    refund = wf.refund("requested")
    message = ds.refund_message_write(refund=refund, actor=wf.buyer, text="as written")
    client = client_for(supervisor)

    listed = client.get(admin_path("disputes/message/"))
    shown = client.get(admin_path(f"disputes/message/{message.pk}/change/"))
    edited = client.post(admin_path(f"disputes/message/{message.pk}/change/"), {"text": "new"})

    assert listed.status_code == 200
    assert shown.status_code == 200
    assert "as written" in shown.content.decode()
    assert 'name="text"' not in shown.content.decode()
    assert edited.status_code == 403
    message.refresh_from_db()
    assert message.text == "as written"

"""Messages (留言) on a request: who may write them and when, what they carry, that they are
never edited, audited, and that the other side hears of them."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from core.models import AuditEntry, Notification
from disputes import services as ds
from disputes.models import Message, MessageImage
from disputes.policies import may_write_message
from tests import factories
from tests.security.images import HTML, image_bytes, upload

pytestmark = pytest.mark.django_db


def _photo(name="p.png"):
    return upload(image_bytes(), name)


def _write(refund, actor, text="Hello", images=(), now=None):
    return ds.refund_message_write(refund=refund, actor=actor, text=text, images=images, now=now)


# --- who may write, and when -----------------------------------------------------------------

OPEN = ["requested", "rejected", "awaiting_return", "return_shipped", "in_intervention"]
FINAL = ["refunded", "cancelled", "closed"]


@pytest.mark.parametrize("state", OPEN)
@pytest.mark.parametrize("who", ["buyer", "merchant"])
def test_either_party_writes_on_an_open_request(wf, state, who):
    refund = wf.refund(state)
    actor = {"buyer": wf.buyer, "merchant": wf.merchant}[who]

    message = _write(refund, actor, "Can we talk?")

    assert message.party == who
    assert message.text == "Can we talk?"
    assert list(Message.objects.filter(refund=refund)) == [message]


@pytest.mark.parametrize("state", FINAL)
@pytest.mark.parametrize("who", ["buyer", "merchant"])
def test_nobody_writes_on_a_finished_request(wf, state, who):
    refund = wf.refund(state)
    actor = {"buyer": wf.buyer, "merchant": wf.merchant}[who]

    with pytest.raises(TransitionNotAllowed) as refused:
        _write(refund, actor, images=[_photo()])

    assert refused.value.code == "messages_closed"
    assert not Message.objects.exists()
    assert not MessageImage.objects.exists()


@pytest.mark.parametrize("state", ["requested", "rejected"])
def test_the_platform_does_not_write_before_the_request_is_escalated(wf, state):
    refund = wf.refund(state)

    for staff in (wf.agent, wf.supervisor):
        with pytest.raises(PermissionDenied) as refused:
            _write(refund, staff)
        assert refused.value.code == "not_in_conversation"
    assert not Message.objects.exists()


def test_the_agent_writes_once_escalated_and_both_parties_hear_of_it(wf):
    refund = wf.refund("in_intervention")
    Notification.objects.all().delete()

    message = _write(refund, wf.agent, "Please send a photo of the label.")

    assert message.party == "platform"
    notified = set(
        Notification.objects.filter(kind="refund_message").values_list("recipient", flat=True)
    )
    assert notified == {wf.buyer.pk, wf.merchant.pk}


def test_the_agent_still_writes_after_the_ruling_while_the_return_is_open(wf):
    intervention = wf.intervention("under_review")
    ds.intervention_rule(
        intervention=intervention,
        actor=wf.agent,
        outcome="buyer_full_refund",
        return_required=True,
        merchant_responsible=True,
        merchant_cooperated=True,
        rationale="Send it back.",
        now=wf.now,
    )
    refund = intervention.refund
    refund.refresh_from_db()
    assert refund.state == "awaiting_return"

    assert _write(refund, wf.agent, "Use a tracked courier.").party == "platform"


@pytest.mark.parametrize("who", ["stranger", "other_shop"])
def test_no_one_else_writes(wf, who):
    refund = wf.refund("requested")
    actor = factories.UserFactory() if who == "stranger" else factories.make_merchant()

    with pytest.raises(PermissionDenied) as refused:
        _write(refund, actor)

    assert refused.value.code == "not_in_conversation"
    assert not may_write_message(refund, actor)
    assert not Message.objects.exists()


# --- what a message carries ------------------------------------------------------------------


def test_a_message_is_text_or_photos_but_not_nothing(wf):
    refund = wf.refund("requested")

    with pytest.raises(InvalidInput) as refused:
        _write(refund, wf.buyer, "   ")

    assert refused.value.code == "message_empty"
    assert _write(refund, wf.buyer, "", images=[_photo()]).text == ""


def test_the_text_is_at_most_the_rules_text_length(wf, settings):
    settings.PLATFORM_RULES = {"max_text_length": 10}
    refund = wf.refund("requested")

    with pytest.raises(InvalidInput) as refused:
        _write(refund, wf.buyer, "x" * 11)

    assert refused.value.code == "text_too_long"
    assert refused.value.field == "text"
    assert _write(refund, wf.buyer, "x" * 10)


def test_up_to_three_photos_each(wf):
    refund = wf.refund("requested")

    message = _write(refund, wf.buyer, images=[_photo() for _ in range(3)])
    with pytest.raises(InvalidInput) as refused:
        _write(refund, wf.buyer, images=[_photo() for _ in range(4)])

    assert message.images.count() == 3
    assert refused.value.code == "message_image_limit"
    assert Message.objects.count() == 1


def test_photos_are_checked_as_evidence_is_and_a_refusal_stores_nothing(wf, settings):
    refund = wf.refund("requested")

    with pytest.raises(InvalidInput) as refused:
        _write(refund, wf.buyer, "look", images=[_photo("good.png"), upload(HTML, "bad.png")])

    assert refused.value.code == "image_unreadable"
    assert not Message.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_photos_are_stored_without_their_metadata_under_generated_names(wf):
    refund = wf.refund("requested")

    message = _write(refund, wf.buyer, images=[_photo("张三-13800138000.png")])

    image = message.images.get()
    assert image.image.name.startswith("messages/")
    assert image.image.name.endswith(".png")
    assert "13800138000" not in image.image.name
    assert image.content_type == "image/png"
    assert image.size == image.image.size


# --- never edited, audited, notified ---------------------------------------------------------


def test_the_database_refuses_to_edit_a_message(wf):
    message = _write(wf.refund("requested"), wf.buyer, "as written")

    with pytest.raises(DatabaseError), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(text="changed")

    message.refresh_from_db()
    assert message.text == "as written"


def test_the_audit_trail_holds_the_message(wf):
    refund = wf.refund("requested")

    _write(refund, wf.merchant, "We can send a new one.", now=wf.now)

    entry = AuditEntry.objects.filter(action="message").get()
    assert entry.target_id == refund.pk
    assert entry.actor == wf.merchant
    assert entry.actor_role == "merchant"
    assert entry.note == "We can send a new one."
    assert entry.from_state == entry.to_state == ""


@pytest.mark.parametrize(("who", "told"), [("buyer", "merchant"), ("merchant", "buyer")])
def test_a_message_notifies_the_other_party_only(wf, who, told):
    refund = wf.refund("requested")
    Notification.objects.all().delete()
    actor = {"buyer": wf.buyer, "merchant": wf.merchant}[who]

    _write(refund, actor, "Hi")

    notification = Notification.objects.get()
    assert notification.recipient == {"buyer": wf.buyer, "merchant": wf.merchant}[told]
    assert notification.kind == "refund_message"
    assert refund.order.number in notification.text


def test_a_refused_message_notifies_nobody_and_audits_nothing(wf):
    refund = wf.refund("cancelled")
    Notification.objects.all().delete()
    audited = AuditEntry.objects.count()

    with pytest.raises(TransitionNotAllowed):
        _write(refund, wf.buyer, "Hello?")

    assert not Notification.objects.exists()
    assert AuditEntry.objects.count() == audited

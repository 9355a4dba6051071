"""Finding 8 (idempotency): a refusal stored under a key is not replayed once the state has
changed, keys expire after 24 hours, and expired keys are purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import IDEMPOTENCY_KEY_TTL, IdempotencyKey
from core.services import idempotency_keys_purge
from disputes import services as ds
from disputes.models import RefundPayment

pytestmark = pytest.mark.django_db

ESCALATE = "/api/v1/refunds/{}/escalate/"
APPROVE = "/api/v1/refunds/{}/approve/"


def test_a_refusal_is_not_replayed_once_the_state_has_changed(wf, buyer, merchant, client_for):
    refund = wf.refund("requested")
    client = client_for(buyer)
    body = {"statement": "The zip is broken."}

    early = client.post(ESCALATE.format(refund.pk), body, HTTP_IDEMPOTENCY_KEY="esc-1")
    ds.refund_reject(refund=refund, actor=merchant, reason="Used.", now=timezone.now())
    retry = client.post(ESCALATE.format(refund.pk), body, HTTP_IDEMPOTENCY_KEY="esc-1")
    again = client.post(ESCALATE.format(refund.pk), body, HTTP_IDEMPOTENCY_KEY="esc-1")

    assert early.status_code == 409
    assert retry.status_code == 200
    assert retry.json()["state"] == "in_intervention"
    assert not retry.has_header("Idempotent-Replayed")
    assert again.status_code == 200  # the success is now what the key replays
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == retry.json()


def test_a_key_older_than_24_hours_counts_as_new(wf, merchant, client_for):
    first_refund, second_refund = wf.refund("requested"), wf.refund("requested")
    client = client_for(merchant)
    assert client.post(APPROVE.format(first_refund.pk), HTTP_IDEMPOTENCY_KEY="k").status_code == 200
    IdempotencyKey.objects.update(created_at=timezone.now() - IDEMPOTENCY_KEY_TTL)

    other = client.post(APPROVE.format(second_refund.pk), HTTP_IDEMPOTENCY_KEY="k")

    assert other.status_code == 200  # not 422: the old key has expired
    assert not other.has_header("Idempotent-Replayed")
    assert RefundPayment.objects.filter(refund=second_refund).exists()


def test_the_purge_deletes_only_expired_keys(buyer):
    now = timezone.now()
    for name, age in [
        ("old", timedelta(hours=25)),
        ("edge", IDEMPOTENCY_KEY_TTL),
        ("new", timedelta(hours=23)),
    ]:
        IdempotencyKey.objects.create(
            user=buyer, key=name, fingerprint="f", created_at=now - age, response_status=200
        )

    purged = idempotency_keys_purge(now=now)

    assert purged == 2
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert idempotency_keys_purge(now=now) == 0

"""Shared pieces of the domain suite: every kind of actor, and a snapshot of what a refused
action must leave untouched."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, PermissionDenied, TransitionNotAllowed
from core.models import AuditEntry, Notification
from disputes.models import (
    Appeal,
    Intervention,
    PlatformReimbursement,
    RefundOffer,
    RefundPayment,
    RefundRequest,
    Ruling,
)
from orders.models import Order
from penalties.models import PenaltyRecord, Restriction
from tests import factories

ACTORS = ["buyer", "merchant", "other_buyer", "other_merchant", "agent", "supervisor"]


@pytest.fixture
def actors(buyer, merchant, agent, supervisor):
    """Everyone who might try an action: the order's buyer, the shop's merchant, a stranger on
    each side, and the platform's staff."""
    return {
        "buyer": buyer,
        "merchant": merchant,
        "other_buyer": factories.UserFactory(username="other-buyer"),
        "other_merchant": factories.make_merchant(username="other-merchant"),
        "agent": agent,
        "supervisor": supervisor,
    }


@pytest.fixture
def frozen_now(monkeypatch):
    """Pin timezone.now() for code that reads the clock itself (e.g. product_create)."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused action must leave as it was."""

    rows: tuple
    counts: tuple

    @classmethod
    def take(
        cls, *, refund: RefundRequest | None = None, order: Order | None = None, intervention=None
    ) -> Snapshot:
        rows = []
        if refund is not None:
            rows.append(
                RefundRequest.objects.filter(pk=refund.pk)
                .values(
                    "state",
                    "amount",
                    "reason",
                    "deadline",
                    "revision_count",
                    "escalated_at",
                    "rejection_reason",
                    "return_tracking_number",
                    "return_courier",
                    "return_to_name",
                    "return_to_address",
                )
                .get()
            )
            rows.append(
                tuple(
                    RefundOffer.objects.filter(refund=refund).values_list(
                        "amount", "return_required", "outcome", "answered_at"
                    )
                )
            )
            order = order or refund.order
        if order is not None:
            rows.append(
                Order.objects.filter(pk=order.pk)
                .values("state", "refunded_amount", "auto_confirm_at", "completed_at")
                .get()
            )
        if intervention is not None:
            rows.append(
                Intervention.objects.filter(pk=intervention.pk)
                .values(
                    "state",
                    "merchant_submitted_at",
                    "merchant_statement",
                    "buyer_statement",
                    "ruling_deadline",
                )
                .get()
            )
        counts = tuple(
            model.objects.count()
            for model in (
                AuditEntry,
                Notification,
                RefundRequest,
                RefundPayment,
                RefundOffer,
                Intervention,
                Ruling,
                Appeal,
                PenaltyRecord,
                Restriction,
                PlatformReimbursement,
            )
        )
        return cls(rows=tuple(rows), counts=counts)


def assert_refused_for_each(subtests, actors: dict, names, attempt, snapshot, states: set[str]):
    """Try `attempt(actor)` as each named actor on the same object, one subtest per actor.

    Each try must raise TransitionNotAllowed (naming one of `states`) or PermissionDenied and
    leave `snapshot()` unchanged. Every try runs in a savepoint that is rolled back whatever
    happens, so a wrongly allowed move cannot hide or cause the next actor's result.
    """
    for name in names:
        with subtests.test(actor=name), transaction.atomic():
            before = snapshot()
            with pytest.raises(DomainError) as refused, transaction.atomic():
                attempt(actors[name])
            assert isinstance(refused.value, TransitionNotAllowed | PermissionDenied)
            if isinstance(refused.value, TransitionNotAllowed):
                assert refused.value.state in states
            assert snapshot() == before
            transaction.set_rollback(True)

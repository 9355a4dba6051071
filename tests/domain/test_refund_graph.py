"""The whole refund graph of SPEC §4, table-driven: every state × every action × every actor.

An allowed move reaches the right state and writes exactly one audit entry (and, on reaching
`refunded`, exactly one refund payment): one test per (state, action, actor). Every other move
raises the domain error and leaves the request, the order, the audit trail, payments and
notifications exactly as they were: one test per (state, action), one subtest per refused
actor, each tried on the same request inside a savepoint that is always rolled back (building
the state once per pair keeps the suite fast on a shared PostgreSQL).
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core.errors import TransitionNotAllowed
from core.models import AuditEntry
from disputes import services as ds
from disputes.models import RefundPayment, RefundRequest
from tests.domain.conftest import ACTORS, Snapshot, assert_refused_for_each
from tests.domain.graph import REFUND_ACTIONS, REFUND_STATES, reach_refund, refund_cases

ALLOWED, REFUSED = refund_cases(ACTORS)


def _new_refund_entries(refund, seen: set[int]):
    return list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(RefundRequest), target_id=refund.pk
        ).exclude(pk__in=seen)
    )


@pytest.mark.parametrize(
    ("label", "action", "actor", "target"), ALLOWED, ids=["-".join(c[:3]) for c in ALLOWED]
)
def test_an_allowed_refund_move_reaches_its_state_and_is_audited_once(
    wf, actors, label, action, actor, target
):
    # given
    refund = reach_refund(wf, label)
    seen = set(AuditEntry.objects.values_list("pk", flat=True))

    # when
    REFUND_ACTIONS[action](refund, actors[actor], wf.now)

    # then
    refund = RefundRequest.objects.get(pk=refund.pk)
    assert refund.state == target
    entries = _new_refund_entries(refund, seen)
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in entries] == [
        (action, REFUND_STATES[label], target, actors[actor].pk)
    ]
    payments = RefundPayment.objects.filter(refund=refund)
    if target == "refunded":
        assert [p.amount for p in payments] == [refund.amount]
    else:
        assert not payments.exists()


@pytest.mark.parametrize(
    ("label", "action", "refused_actors"), REFUSED, ids=["-".join(c[:2]) for c in REFUSED]
)
def test_a_refused_refund_move_raises_the_domain_error_and_changes_nothing(
    wf, actors, subtests, label, action, refused_actors
):
    # given
    refund = reach_refund(wf, label)

    # when / then: every actor not allowed this move, one subtest each
    assert_refused_for_each(
        subtests,
        actors,
        refused_actors,
        attempt=lambda actor: REFUND_ACTIONS[action](refund, actor, wf.now),
        snapshot=lambda: Snapshot.take(refund=refund),
        states={REFUND_STATES[label]},
    )


# The system's own moves, as the deadline sweep calls them (it holds the row locks).
SYSTEM_ACTIONS = {
    "auto_approve": lambda order, refund, now: ds.refund_auto_approve(
        order=order, refund=refund, now=now
    ),
    "auto_close": lambda order, refund, now: ds.refund_auto_close(refund=refund, now=now),
    "auto_confirm_return": lambda order, refund, now: ds.refund_auto_confirm_return(
        order=order, refund=refund, now=now
    ),
}
SYSTEM_ALLOWED = {
    ("requested", "auto_approve"): "refunded",
    ("requested_with_return", "auto_approve"): "awaiting_return",
    ("rejected", "auto_close"): "closed",
    ("offered", "auto_close"): "closed",
    ("offered_with_return", "auto_close"): "closed",
    ("awaiting_return", "auto_close"): "closed",
    ("return_shipped", "auto_confirm_return"): "refunded",
}
SYSTEM_CASES = [(label, action) for label in REFUND_STATES for action in SYSTEM_ACTIONS]


def _run_system_move(refund, action, now):
    with transaction.atomic():
        order, refund = ds.lock_refund(refund.pk)
        SYSTEM_ACTIONS[action](order, refund, now)


@pytest.mark.parametrize(("label", "action"), SYSTEM_CASES, ids=["-".join(c) for c in SYSTEM_CASES])
def test_a_system_move_runs_only_from_its_source_states(wf, label, action):
    # given
    refund = reach_refund(wf, label)
    before = Snapshot.take(refund=refund)
    seen = set(AuditEntry.objects.values_list("pk", flat=True))
    target = SYSTEM_ALLOWED.get((label, action))

    # when / then
    if target is None:
        with pytest.raises(TransitionNotAllowed) as refused:
            _run_system_move(refund, action, wf.now)
        assert refused.value.state == REFUND_STATES[label]
        assert Snapshot.take(refund=refund) == before
        return
    _run_system_move(refund, action, wf.now)
    refund = RefundRequest.objects.get(pk=refund.pk)
    assert refund.state == target
    entries = _new_refund_entries(refund, seen)
    assert [(e.action, e.from_state, e.to_state, e.actor_id, e.actor_role) for e in entries] == [
        (action, REFUND_STATES[label], target, None, "system")
    ]
    assert RefundPayment.objects.filter(refund=refund).count() == (target == "refunded")

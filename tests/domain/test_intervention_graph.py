"""The intervention graph of SPEC §5, table-driven: awaiting_evidence → under_review (both
sides submitted, or the window ran out) → ruled → appealed → ruled; resolved_by_merchant when
the merchant concedes before the ruling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core.models import AuditEntry
from disputes import services as ds
from disputes.errors import DisputeErrorCode
from disputes.models import Intervention, RulingOutcome
from tests.domain.conftest import ACTORS, Snapshot, assert_refused_for_each
from tests.refusals import refused


def _reach(wf, label):
    if label in {"awaiting_evidence", "under_review", "ruled"}:
        return wf.intervention(label)
    if label == "resolved_by_merchant":
        intervention = wf.intervention("awaiting_evidence")
        ds.refund_concede(refund=intervention.refund, actor=wf.merchant, now=wf.now)
        return Intervention.objects.get(pk=intervention.pk)
    intervention = wf.intervention("ruled")
    appeal = ds.ruling_appeal(
        ruling=intervention.ruling, actor=wf.merchant, statement="New photos", now=wf.now
    )
    if label == "ruled_after_appeal":
        ds.appeal_decide(appeal=appeal, actor=wf.supervisor, decision="uphold", note="No change")
    assert label in {"appealed", "ruled_after_appeal"}
    return Intervention.objects.get(pk=intervention.pk)


INTERVENTION_STATES = {
    "awaiting_evidence": "awaiting_evidence",
    "under_review": "under_review",
    "ruled": "ruled",
    "appealed": "appealed",
    "ruled_after_appeal": "ruled",
    "resolved_by_merchant": "resolved_by_merchant",
}
INTERVENTION_ACTIONS = {
    "submit_evidence": lambda i, a, now: ds.intervention_submit_evidence(
        intervention=i, actor=a, statement="See the label", now=now
    ),
    "concede": lambda i, a, now: ds.refund_concede(refund=i.refund, actor=a, now=now),
    "rule": lambda i, a, now: ds.intervention_rule(
        intervention=i,
        actor=a,
        outcome=RulingOutcome.BUYER_FULL_REFUND,
        rationale="Defect shown",
        merchant_responsible=True,
        merchant_cooperated=True,
        now=now,
    ),
    "appeal": lambda i, a, now: ds.ruling_appeal(
        ruling=i.ruling, actor=a, statement="The courier broke it", now=now
    ),
    "decide": lambda i, a, now: ds.appeal_decide(
        appeal=i.ruling.appeal, actor=a, decision="uphold", note="Stands", now=now
    ),
}


def _callable(label, action):
    """An appeal needs a ruling, a decision needs an appeal: only those states can be asked."""
    if action == "appeal":
        return label in {"ruled", "appealed", "ruled_after_appeal"}
    if action == "decide":
        return label in {"appealed", "ruled_after_appeal"}
    return True


# (state, action) -> who may: (intervention state reached, audited action, audited actor)
INTERVENTION_ALLOWED = {
    ("awaiting_evidence", "submit_evidence"): {
        # The buyer gave a statement on escalating: adding to it changes no state.
        "buyer": ("awaiting_evidence", None, None),
        # Both sides have now submitted: the system closes the evidence window.
        "merchant": ("under_review", "close_evidence", None),
    },
    ("awaiting_evidence", "concede"): {
        "merchant": ("resolved_by_merchant", "resolve_by_merchant", "merchant")
    },
    ("under_review", "concede"): {
        "merchant": ("resolved_by_merchant", "resolve_by_merchant", "merchant")
    },
    ("under_review", "rule"): {
        "agent": ("ruled", "rule", "agent"),
        "supervisor": ("ruled", "rule", "supervisor"),
    },
    ("ruled", "appeal"): {"merchant": ("appealed", "appeal", "merchant")},
    ("appealed", "decide"): {"supervisor": ("ruled", "decide_appeal", "supervisor")},
}
ALLOWED = [
    (label, action, actor)
    for (label, action), allowed in INTERVENTION_ALLOWED.items()
    for actor in allowed
]
REFUSED = [
    (
        label,
        action,
        [a for a in ACTORS if a not in INTERVENTION_ALLOWED.get((label, action), {})],
    )
    for label in INTERVENTION_STATES
    for action in INTERVENTION_ACTIONS
    if _callable(label, action)
]


@pytest.mark.parametrize(("label", "action", "actor"), ALLOWED, ids=["-".join(c) for c in ALLOWED])
def test_an_allowed_intervention_move_reaches_its_state_and_is_audited(
    wf, actors, label, action, actor
):
    # given
    intervention = _reach(wf, label)
    target, audited, audited_actor = INTERVENTION_ALLOWED[(label, action)][actor]
    seen = set(AuditEntry.objects.values_list("pk", flat=True))

    # when
    INTERVENTION_ACTIONS[action](intervention, actors[actor], wf.now)

    # then
    assert Intervention.objects.get(pk=intervention.pk).state == target
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Intervention), target_id=intervention.pk
    ).exclude(pk__in=seen)
    expected = []
    if audited:
        actor_id = actors[audited_actor].pk if audited_actor else None
        expected = [(audited, INTERVENTION_STATES[label], target, actor_id)]
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in entries] == expected


@pytest.mark.parametrize(
    ("label", "action", "refused_actors"), REFUSED, ids=["-".join(c[:2]) for c in REFUSED]
)
def test_a_refused_intervention_move_raises_the_domain_error_and_changes_nothing(
    wf, actors, subtests, label, action, refused_actors
):
    # given
    intervention = _reach(wf, label)
    refund = intervention.refund

    # when / then: every actor not allowed this move, one subtest each
    assert_refused_for_each(
        subtests,
        actors,
        refused_actors,
        attempt=lambda actor: INTERVENTION_ACTIONS[action](intervention, actor, wf.now),
        snapshot=lambda: Snapshot.take(refund=refund, intervention=intervention),
        # a concession is refused on the refund's state once the refund has moved on
        states={INTERVENTION_STATES[label], refund.state},
    )


def test_a_concession_refunds_in_full_and_writes_no_penalty(wf, merchant, shop):
    intervention = wf.intervention("under_review")

    refund = ds.refund_concede(refund=intervention.refund, actor=merchant, now=wf.now)

    assert refund.state == "refunded"
    assert refund.payment.amount == refund.amount
    assert not shop.penalty_records.exists()
    shop.refresh_from_db()
    assert shop.dispute_cases == 0


def test_evidence_after_the_window_is_refused_even_before_the_sweep_has_run(wf, merchant):
    intervention = wf.intervention("awaiting_evidence")
    before = Snapshot.take(refund=intervention.refund, intervention=intervention)

    with refused(DisputeErrorCode.EVIDENCE_WINDOW_CLOSED), transaction.atomic():
        ds.intervention_submit_evidence(
            intervention=intervention,
            actor=merchant,
            statement="Late",
            now=intervention.evidence_deadline + timedelta(seconds=1),
        )

    assert Snapshot.take(refund=intervention.refund, intervention=intervention) == before


def test_once_both_sides_have_submitted_the_agent_has_48_hours_to_rule(wf, merchant):
    intervention = wf.intervention("awaiting_evidence")
    moment = wf.later(hours=3)

    ds.intervention_submit_evidence(
        intervention=intervention, actor=merchant, statement="Sent intact", now=moment
    )

    intervention = Intervention.objects.get(pk=intervention.pk)
    assert (intervention.state, intervention.ruling_deadline) == (
        "under_review",
        moment + timedelta(hours=48),
    )
    assert intervention.merchant_submitted_at == moment

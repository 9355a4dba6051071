"""Every state change writes one audit entry: who, from, to (SPEC §10)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured

from core.models import AuditEntry
from disputes import services as ds
from disputes.models import Intervention, RefundRequest
from orders.models import Order
from tests import factories


def _timeline(obj):
    return [
        (e.action, e.from_state, e.to_state, e.actor_id, e.actor_role)
        for e in AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk
        )
    ]


def test_a_dispute_from_filing_to_appeal_leaves_one_entry_per_transition(
    wf, buyer, merchant, agent, supervisor
):
    # given / when: purchase, refund, rejection, escalation, evidence, ruling, appeal, decision
    intervention = wf.intervention("under_review")
    ruling = wf.rule_against_merchant(intervention)
    appeal = ds.ruling_appeal(ruling=ruling, actor=merchant, statement="New", now=wf.now)
    ds.appeal_decide(appeal=appeal, actor=supervisor, decision="uphold", note="Stands")

    # then
    refund = RefundRequest.objects.get(pk=intervention.refund_id)
    order = Order.objects.get(pk=refund.order_id)
    assert _timeline(order) == [
        ("place", "", "pending_payment", buyer.pk, "buyer"),
        ("pay", "pending_payment", "paid", buyer.pk, "buyer"),
        ("ship", "paid", "shipped", merchant.pk, "merchant"),
        ("mark_refunded", "shipped", "refunded", None, "system"),
    ]
    assert _timeline(refund) == [
        ("file", "", "requested", buyer.pk, "buyer"),
        ("reject", "requested", "rejected", merchant.pk, "merchant"),
        ("escalate", "rejected", "in_intervention", buyer.pk, "buyer"),
        ("rule", "in_intervention", "refunded", agent.pk, "agent"),
    ]
    assert _timeline(Intervention.objects.get(pk=intervention.pk)) == [
        ("open", "", "awaiting_evidence", buyer.pk, "buyer"),
        ("close_evidence", "awaiting_evidence", "under_review", None, "system"),
        ("rule", "under_review", "ruled", agent.pk, "agent"),
        ("appeal", "ruled", "appealed", merchant.pk, "merchant"),
        ("decide_appeal", "appealed", "ruled", supervisor.pk, "supervisor"),
    ]


def test_an_audit_entry_keeps_the_note_the_actor_gave(wf, merchant):
    refund = wf.refund("requested")

    ds.refund_reject(refund=refund, actor=merchant, reason="Worn and washed", now=wf.now)

    entry = AuditEntry.objects.get(action="reject", target_id=refund.pk)
    assert (entry.note, entry.created_at is not None) == ("Worn and washed", True)


def test_a_supervisor_who_rules_and_assigns_is_audited_as_a_supervisor(wf, agent, supervisor):
    # given a case under review
    intervention = wf.intervention("under_review")

    # when a supervisor hands it to an agent, then rules on it herself
    ds.intervention_assign(intervention=intervention, actor=supervisor, agent=agent, now=wf.now)
    ds.intervention_rule(
        intervention=intervention,
        actor=supervisor,
        outcome="buyer_full_refund",
        rationale="The photos show the defect.",
        merchant_responsible=True,
        now=wf.now,
    )

    # then the trail names her role, not the agent's the ruling permission also allows
    entries = _timeline(Intervention.objects.get(pk=intervention.pk))
    assert [e for e in entries if e[0] in {"assign", "rule"}] == [
        ("assign", "", "", supervisor.pk, "supervisor"),
        ("rule", "under_review", "ruled", supervisor.pk, "supervisor"),
    ]
    assert _timeline(RefundRequest.objects.get(pk=intervention.refund_id))[-1][3:] == (
        supervisor.pk,
        "supervisor",
    )


def test_an_assignment_is_audited_with_the_assignee_before_and_after_and_a_no_op_is_not(
    wf, agent, supervisor
):
    # given a case nobody has taken, and a second agent
    intervention = wf.intervention("under_review")
    other = factories.make_agent(username="agent2")

    # when the agent takes it, takes it again, and a supervisor hands it to the other agent
    ds.intervention_assign(intervention=intervention, actor=agent, agent=agent, now=wf.now)
    ds.intervention_assign(intervention=intervention, actor=agent, agent=agent, now=wf.now)
    ds.intervention_assign(intervention=intervention, actor=supervisor, agent=other, now=wf.now)

    # then two entries, each with the assignee it replaced and the new one, and no free text
    entries = AuditEntry.objects.filter(
        action="assign",
        target_type=ContentType.objects.get_for_model(Intervention),
        target_id=intervention.pk,
    ).order_by("id")
    assert [(e.actor_id, e.changes, e.note) for e in entries] == [
        (agent.pk, {"assigned_agent": [None, agent.pk]}, ""),
        (supervisor.pk, {"assigned_agent": [agent.pk, other.pk]}, ""),
    ]
    intervention.refresh_from_db()
    assert intervention.assigned_agent == other


def test_a_transition_that_writes_a_field_it_does_not_declare_is_refused_and_saves_nothing(
    wf, merchant, monkeypatch
):
    # given the approve transition declaring one field fewer than it writes
    refund = wf.refund("requested")
    meta = RefundRequest.approve._django_fsm.get_transition(refund.state)
    monkeypatch.setitem(meta.custom, "update_fields", ["deadline", "closed_at"])

    # when the merchant approves
    with pytest.raises(ImproperlyConfigured, match="responded_at"):
        ds.refund_approve(refund=refund, actor=merchant, now=wf.now)

    # then nothing was saved or audited
    refund.refresh_from_db()
    assert (refund.state, refund.responded_at) == ("requested", None)
    assert not AuditEntry.objects.filter(action="approve", target_id=refund.pk).exists()

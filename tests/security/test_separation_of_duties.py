"""Finding 3: nobody acts as the platform on a case they are part of. Each refusal is a domain
error with its message, answered 403 by the API, and changes nothing."""

from __future__ import annotations

import pytest
from django.db import transaction

from disputes import services as ds
from disputes.errors import DisputeErrorCode
from disputes.models import InterventionState, Ruling, RulingOutcome
from disputes.policies import intervention_actions
from merchants.models import Shop, ShopStaff
from tests import factories
from tests.refusals import refused

pytestmark = pytest.mark.django_db

RULE = {
    "outcome": RulingOutcome.BUYER_FULL_REFUND,
    "rationale": "Defect shown.",
    "merchant_responsible": True,
    "merchant_cooperated": True,
}


def _own_case(wf, agent):
    """An agent buys from the shop, files, is rejected, escalates; the shop answers."""
    order = wf.order("shipped", buyer=agent)
    return wf.intervention("under_review", order=order)


def test_an_agent_cannot_rule_a_case_they_filed_as_the_buyer(wf, agent):
    case = _own_case(wf, agent)

    with refused(DisputeErrorCode.CONFLICT_OF_INTEREST_BUYER), transaction.atomic():
        ds.intervention_rule(intervention=case, actor=agent, now=wf.now, **RULE)

    case.refresh_from_db()
    assert case.state == InterventionState.UNDER_REVIEW
    assert not Ruling.objects.exists()
    assert "rule" not in intervention_actions(case, agent, now=wf.now)


def test_the_api_answers_403_with_the_reason_and_another_agent_may_rule(wf, agent, client_for):
    case = _own_case(wf, agent)
    body = {**RULE, "outcome": "buyer_full_refund"}

    refused = client_for(agent).post(f"/api/v1/interventions/{case.pk}/rule/", body, format="json")
    other = factories.make_agent(username="agent_b")
    ruled = client_for(other).post(f"/api/v1/interventions/{case.pk}/rule/", body, format="json")

    assert refused.status_code == 403
    assert refused.json()["code"] == "conflict_of_interest_buyer"
    assert "买家" in refused.json()["detail"]
    assert ruled.status_code == 201


def test_an_agent_who_works_for_the_shop_cannot_rule_its_case(wf, shop, agent):
    # An account that was the shop's staff before it became platform staff.
    insider = factories.make_agent(username="insider")
    ShopStaff.objects.create(user=insider, shop=shop)
    case = wf.intervention("under_review")

    with refused(DisputeErrorCode.CONFLICT_OF_INTEREST_SHOP), transaction.atomic():
        ds.intervention_rule(intervention=case, actor=insider, now=wf.now, **RULE)
    with refused(DisputeErrorCode.CONFLICT_OF_INTEREST_SHOP), transaction.atomic():
        ds.intervention_assign(intervention=case, actor=agent, agent=insider, now=wf.now)

    case.refresh_from_db()
    assert case.assigned_agent is None
    assert not Ruling.objects.exists()


def test_platform_staff_cannot_open_a_shop(agent, client_for):
    answer = client_for(agent).post("/api/v1/shops/", {"name": "Side business"}, format="json")

    assert answer.status_code == 403
    assert answer.json()["code"] == "platform_staff"
    assert not Shop.objects.filter(name="Side business").exists()


def test_a_supervisor_cannot_decide_the_appeal_of_their_own_ruling(wf, merchant, supervisor):
    case = wf.intervention("under_review")
    ruling = ds.intervention_rule(intervention=case, actor=supervisor, now=wf.now, **RULE)
    appeal = ds.ruling_appeal(ruling=ruling, actor=merchant, statement="New photos.", now=wf.now)

    with refused(DisputeErrorCode.CONFLICT_OF_INTEREST_OWN_RULING), transaction.atomic():
        ds.appeal_decide(
            appeal=appeal, actor=supervisor, decision="overturn", note="I erred.", now=wf.now
        )
    case.refresh_from_db()
    assert case.state == InterventionState.APPEALED
    assert "decide" not in intervention_actions(case, supervisor, now=wf.now)

    other = factories.make_supervisor(username="supervisor_b")
    decided = ds.appeal_decide(
        appeal=appeal, actor=other, decision="uphold", note="Stands.", now=wf.now
    )
    assert decided.decided_by == other


def test_the_api_refuses_a_supervisor_deciding_their_own_ruling_with_403(
    wf, merchant, supervisor, client_for
):
    case = wf.intervention("under_review")
    ruling = ds.intervention_rule(intervention=case, actor=supervisor, now=wf.now, **RULE)
    appeal = ds.ruling_appeal(ruling=ruling, actor=merchant, statement="New photos.", now=wf.now)

    answer = client_for(supervisor).post(
        f"/api/v1/appeals/{appeal.pk}/decide/",
        {"decision": "overturn", "note": "Mine."},
        format="json",
    )

    assert answer.status_code == 403
    assert answer.json()["code"] == "conflict_of_interest_own_ruling"
    appeal.refresh_from_db()
    assert appeal.decided_at is None

"""The case page and the ruling form: what an agent sees, what the form offers, and that the
ruling goes through the ruling service."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from core.errors import InvalidInput
from core.models import AuditEntry
from disputes import services
from disputes.admin import RulingForm
from disputes.deadlines import enforce_deadlines
from disputes.models import (
    Courier,
    Evidence,
    InterventionState,
    RefundPayment,
    RefundState,
    Ruling,
)
from disputes.policies import CENT, ruling_choices
from merchants.models import ReturnAddress
from penalties.models import PenaltyKind, PenaltyRecord
from tests.admin.conftest import admin_path


def case_url(case) -> str:
    return admin_path(f"disputes/intervention/{case.pk}/change/")


def rule_url(case) -> str:
    return admin_path(f"disputes/intervention/{case.pk}/rule/")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def test_the_case_page_shows_the_order_both_sides_the_timeline_and_the_buyers_history(
    client_for, agent, case_with_evidence
):
    case = case_with_evidence
    response = client_for(agent).get(case_url(case))

    assert response.status_code == 200
    page = response.content.decode()
    assert case.refund.order.number in page
    assert "It was broken" in page  # the buyer's statement
    assert "The zip was fine when shipped" in page
    for evidence in Evidence.objects.filter(refund=case.refund):
        assert f'src="{reverse("evidence-file", args=[evidence.pk])}"' in page
    assert response.context["buyer_evidence"][0].party == "buyer"
    assert len(response.context["buyer_evidence"]) == 2
    assert len(response.context["merchant_evidence"]) == 1
    actions = [e.action for e in response.context["timeline"]]
    assert actions[:3] == ["file", "reject", "escalate"]
    assert "close_evidence" in actions
    assert response.context["history"].refunds_filed == 1
    assert rule_url(case) in page


def test_the_ruling_form_offers_the_allowed_outcomes_prefilled_from_the_facts(
    client_for, agent, case_with_evidence
):
    response = client_for(agent).get(rule_url(case_with_evidence))

    form = response.context["form"]
    assert [c for c, _ in form.fields["outcome"].choices] == [
        "buyer_full_refund",
        "buyer_partial_refund",
        "merchant_wins",
    ]
    # the shop answered the refund itself and gave evidence: it cooperated
    assert form.initial["merchant_cooperated"] is True
    assert form.initial["penalty_points"] == 2
    assert response.context["partial_max"] == Decimal("99.99")
    assert 'max="99.99"' in response.content.decode()


def test_a_shop_silent_through_the_evidence_window_is_prefilled_as_not_cooperating(
    client_for, agent, wf
):
    case = wf.refund("in_intervention").intervention
    enforce_deadlines(now=wf.later(hours=49))

    form = client_for(agent).get(rule_url(case)).context["form"]

    assert form.initial["merchant_cooperated"] is False


def test_a_case_still_awaiting_evidence_cannot_be_ruled(client_for, agent, wf):
    case = wf.intervention("awaiting_evidence")

    response = client_for(agent).get(rule_url(case), follow=True)

    assert response.redirect_chain[-1][0] == case_url(case)
    assert (
        _messages(response)
        == f"当前状态为“{_zh(InterventionState.AWAITING_EVIDENCE.label)}”，无法进行此操作。"
    )
    assert "form" not in response.context or response.context.get("form") is None


def test_the_case_page_says_in_chinese_why_it_cannot_be_ruled_yet(client_for, agent, wf):
    case = wf.intervention("awaiting_evidence")

    page = client_for(agent).get(case_url(case)).content.decode()

    awaiting = _zh(InterventionState.AWAITING_EVIDENCE.label)
    assert f"暂不能判定： 当前状态为“{awaiting}”，无法进行此操作。" in page


def test_ruling_for_the_buyer_refunds_and_writes_the_penalty(client_for, agent, case_with_evidence):
    case = case_with_evidence

    response = client_for(agent).post(
        rule_url(case),
        {
            "outcome": "buyer_full_refund",
            "merchant_responsible": "on",
            "merchant_cooperated": "on",
            "penalty_points": "3",
            "rationale": "The photos show a broken zip.",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == case_url(case)
    ruling = Ruling.objects.get(intervention=case)
    assert (ruling.agent, ruling.outcome, ruling.penalty_points) == (agent, "buyer_full_refund", 3)
    case.refund.refresh_from_db()
    assert case.refund.state == RefundState.REFUNDED
    assert RefundPayment.objects.get(refund=case.refund).amount == Decimal("100.00")
    assert list(PenaltyRecord.objects.filter(ruling=ruling).values_list("kind", "points")) == [
        (PenaltyKind.DISPUTE_LOST, 3)
    ]
    assert AuditEntry.objects.filter(action="rule", actor=agent).count() == 2


def test_a_partial_refund_above_the_bound_is_refused_in_place(
    client_for, agent, case_with_evidence
):
    response = client_for(agent).post(
        rule_url(case_with_evidence),
        {
            "outcome": "buyer_partial_refund",
            "refund_amount": "100.00",
            "penalty_points": "2",
            "rationale": "Half the fault each.",
        },
    )

    assert response.status_code == 200
    assert "refund_amount" in response.context["form"].errors
    assert response.context["form"].data["rationale"] == "Half the fault each."
    assert not Ruling.objects.exists()


def test_the_service_refusal_lands_on_its_field(client_for, agent, case_with_evidence):
    # a merchant who wins cannot be held responsible: the service says so, on that field
    response = client_for(agent).post(
        rule_url(case_with_evidence),
        {
            "outcome": "merchant_wins",
            "merchant_responsible": "on",
            "penalty_points": "2",
            "rationale": "No defect.",
        },
    )

    assert response.status_code == 200
    assert "merchant_responsible" in response.context["form"].errors
    assert not Ruling.objects.exists()


def test_someone_else_ruled_first_the_agent_sees_a_message(
    client_for, agent, case_with_evidence, wf
):
    client = client_for(agent)
    assert client.get(rule_url(case_with_evidence)).status_code == 200
    other = wf.agent.__class__.objects.create(username="agent-wang", is_staff=True)
    other.groups.set(agent.groups.all())
    wf.agent = other
    wf.rule_against_merchant(case_with_evidence)

    response = client.post(
        rule_url(case_with_evidence),
        {"outcome": "merchant_wins", "penalty_points": "2", "rationale": "No defect."},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == case_url(case_with_evidence)
    assert (
        _messages(response) == f"当前状态为“{_zh(InterventionState.RULED.label)}”，无法进行此操作。"
    )
    assert Ruling.objects.get(intervention=case_with_evidence).agent == other


def test_an_agent_takes_a_case_from_its_page(client_for, agent, case_with_evidence):
    client = client_for(agent)
    assert (
        "Assign to me" in client.get(case_url(case_with_evidence)).content.decode()
        or (client.get(case_url(case_with_evidence)).context["may_assign"])
    )

    client.post(admin_path(f"disputes/intervention/{case_with_evidence.pk}/assign/"))

    case_with_evidence.refresh_from_db()
    assert case_with_evidence.assigned_agent == agent
    assert AuditEntry.objects.filter(action="assign", actor=agent).exists()


def test_the_console_speaks_chinese_by_default_and_english_on_request(
    client_for, agent, case_with_evidence
):
    client = client_for(agent)

    chinese = client.get(case_url(case_with_evidence)).content.decode()
    english = client.get(case_url(case_with_evidence), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = client.get(rule_url(case_with_evidence), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "买家举证说明与凭证" in chinese
    assert "判定此介入单" in chinese
    assert "Buyer's statement and evidence" in english
    assert "Rule on this case" in english
    assert "The merchant is at fault (penalty points)" in form


@pytest.mark.parametrize(("above_cap", "accepted"), [(Decimal("0.00"), True), (CENT, False)])
def test_the_ruling_form_and_the_ruling_service_agree_on_the_partial_refund_cap(
    agent, case_with_evidence, above_cap, accepted
):
    case = case_with_evidence
    choices = ruling_choices(case.refund)
    amount = choices.partial_max + above_cap  # ¥99.99 of ¥100.00 asked, then ¥100.00
    form = RulingForm(
        {
            "outcome": "buyer_partial_refund",
            "refund_amount": str(amount),
            "merchant_responsible": "on",
            "penalty_points": "2",
            "rationale": "Half the fault each.",
        },
        choices=choices,
    )

    try:
        with transaction.atomic():
            ruling = services.intervention_rule(
                intervention=case,
                actor=agent,
                outcome="buyer_partial_refund",
                refund_amount=amount,
                merchant_responsible=True,
                rationale="Half the fault each.",
            )
            assert ruling.refund_amount == amount
            transaction.set_rollback(True)  # only asking
    except InvalidInput as refusal:
        assert refusal.field == "refund_amount"
        service_accepts = False
    else:
        service_accepts = True

    assert form.is_valid() is accepted
    assert service_accepts is accepted


def test_the_ruling_form_says_where_a_return_goes(client_for, agent, case_with_evidence):
    page = client_for(agent).get(rule_url(case_with_evidence)).content.decode()

    assert "8 Cangqian Street, returns depot" in page


def test_a_shop_without_a_return_address_is_told_before_a_ruling_that_orders_a_return(
    client_for, agent, case_with_evidence
):
    case = case_with_evidence
    ReturnAddress.objects.filter(shop=case.shop).delete()
    agent_client = client_for(agent)

    # the form says so before the agent rules
    page = agent_client.get(rule_url(case)).content.decode()
    assert "该店铺没有退货地址：判定不能要求退货。" in page

    # and a ruling that orders the return anyway is refused on the tick box, the rest kept
    response = agent_client.post(
        rule_url(case),
        {
            "outcome": "buyer_full_refund",
            "return_required": "on",
            "merchant_responsible": "on",
            "merchant_cooperated": "on",
            "penalty_points": "3",
            "rationale": "Send it back.",
        },
    )
    assert response.status_code == 200
    assert "return_required" in response.context["form"].errors
    assert response.context["form"].data["rationale"] == "Send it back."
    assert not Ruling.objects.exists()
    case.refund.refresh_from_db()
    assert case.refund.state == RefundState.IN_INTERVENTION


def test_the_case_page_shows_the_return_address_courier_and_tracking(
    client_for, agent, wf, case_with_evidence
):
    case = case_with_evidence
    wf.rule_against_merchant(case, return_required=True)
    refund = case.refund
    services.refund_ship_return(
        refund=refund, actor=refund.buyer, courier="ems", tracking_number="EE1", now=wf.now
    )

    page = client_for(agent).get(case_url(case)).content.decode()

    assert "8 Cangqian Street, returns depot" in page
    assert _zh(Courier.EMS.label) in page and "EE1" in page


def test_the_case_page_reads_the_systems_audit_notes_in_the_readers_language(
    client_for, wf, supervisor
):
    ruling = wf.rule_against_merchant(wf.intervention("under_review"))
    appeal = services.ruling_appeal(
        ruling=ruling, actor=wf.merchant, statement="The courier crushed the box", now=wf.now
    )
    services.appeal_decide(
        appeal=appeal,
        actor=supervisor,
        decision="uphold",
        note="The courier's report shows no damage",
        now=wf.now,
    )
    url = case_url(ruling.intervention)

    chinese = client_for(supervisor).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client_for(supervisor).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "维持原判定：The courier&#x27;s report shows no damage" in chinese
    assert "uphold" not in chinese
    assert "Ruling upheld: The courier&#x27;s report shows no damage" in english
    # the agent's ruling and the penalty it brought, the same way: words, not codes
    assert "判定：支持买家，全额退款" in chinese
    assert "buyer_full_refund" not in chinese
    assert "Ruling: Full refund to the buyer" in english


def test_the_case_page_and_the_ruling_form_show_every_offer_and_start_from_the_last(
    wf, client_for, agent
):
    # given: the shop offered ¥30, the buyer declined and applied for platform intervention
    refund = wf.refund("requested")
    wf.offer(refund, amount=Decimal("30.00"), message="Thirty and keep it")
    services.refund_decline_offer(refund=refund, actor=refund.buyer, now=wf.now)
    intervention = wf.merchant_evidence(wf.escalate(refund))
    client = client_for(agent)

    # when
    case = client.get(case_url(intervention))
    form = client.get(rule_url(intervention))

    # then
    assert [o.amount for o in case.context["offers"]] == [Decimal("30.00")]
    assert "Thirty and keep it" in case.content.decode()
    assert "Thirty and keep it" in form.content.decode()
    assert form.context["form"].initial["refund_amount"] == Decimal("30.00")
    assert 'value="30.00"' in form.content.decode()

"""Agents and supervisors at work in the admin, in chromium: an agent rules an overdue case for
the buyer; a supervisor overturns an appeal. Then the parties' API shows the result."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from disputes import services as ds
from disputes.models import Evidence, RefundPayment, RefundState, Ruling
from penalties.models import PenaltyKind, PenaltyRecord
from penalties.services import penalty_period, points_in_period
from tests.admin.conftest import admin_path, png

PASSWORD = "pass-1234"  # the factories' password


def log_in(page, username: str) -> None:
    page.goto(admin_path("login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def overdue_case(wf):
    """A case whose ruling deadline passed a day ago, both sides' evidence in; and a fresh case
    that is not overdue."""
    wf.now = timezone.now() - timedelta(days=3)
    refund = wf.refund("in_intervention")
    case = refund.intervention
    ds.intervention_submit_evidence(
        intervention=case, actor=wf.buyer, images=[png(), png()], now=wf.now
    )
    ds.intervention_submit_evidence(
        intervention=case,
        actor=wf.merchant,
        statement="The zip was fine when shipped",
        images=[png()],
        now=wf.now,
    )
    wf.now = timezone.now()
    fresh = wf.intervention("under_review")
    case.refresh_from_db()
    assert case.ruling_deadline < timezone.now() < fresh.ruling_deadline
    return case, fresh


def test_an_agent_rules_an_overdue_case_for_the_buyer(page, shoot, wf, agent, overdue_case):
    case, fresh = overdue_case

    # the agent logs in and filters the queue to overdue cases
    log_in(page, agent.username)
    page.goto(admin_path("disputes/intervention/"))
    page.click("a[href*='overdue=yes']")
    page.wait_for_url("**overdue=yes**")
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert f"#{case.pk}" in rows.first.inner_text()
    assert f"#{fresh.pk}" not in page.inner_text("#result_list")
    assert page.locator("#result_list .overdue").count() == 1
    shoot(page, "admin-queue")

    # opens the case and sees both sides' evidence, loaded through the access-checked view
    page.click(f"text=#{case.pk}")
    page.wait_for_selector("#buyer-side")
    assert page.locator("#buyer-side .thumbs img").count() == 2
    assert page.locator("#merchant-side .thumbs img").count() == 1
    assert "The zip was fine when shipped" in page.inner_text("#merchant-side")
    # Images load after the page does; wait until each has finished (loaded or broken).
    # (Not wait_for_function: its polling evaluates a string, which the page's CSP refuses.)
    page.evaluate(
        "Promise.all([...document.querySelectorAll('.thumbs img')].map(i => i.complete"
        " || new Promise(done => { i.onload = i.onerror = done; })))"
    )
    widths = page.eval_on_selector_all(".thumbs img", "imgs => imgs.map(i => i.naturalWidth)")
    assert widths == [8, 8, 8]
    shoot(page, "admin-case")

    # rules for the buyer, merchant at fault (the form offers the allowed outcomes)
    page.click("#rule-link")
    page.wait_for_selector("#id_outcome")
    assert page.locator("input[name=outcome]").count() == 3
    assert page.is_checked("#id_merchant_cooperated")  # the shop answered and gave evidence
    shoot(page, "admin-ruling-form")
    page.check("input[name=outcome][value=buyer_full_refund]")
    page.check("#id_merchant_responsible")
    page.fill("#id_rationale", "The photos show a broken zip.")
    page.click("input[name=_rule]")
    page.wait_for_selector("#ruling")

    # then the refund is refunded, the penalty written, and both parties' API shows the ruling
    ruling = Ruling.objects.get(intervention=case)
    assert (ruling.agent, ruling.outcome, ruling.merchant_responsible) == (
        agent,
        "buyer_full_refund",
        True,
    )
    refund = api_as(wf.buyer).get(f"/api/v1/refunds/{case.refund_id}/").json()
    assert refund["state"] == RefundState.REFUNDED
    assert RefundPayment.objects.get(refund_id=case.refund_id).amount == case.refund.amount
    seen = api_as(wf.buyer).get(f"/api/v1/interventions/{case.pk}/").json()
    assert (seen["state"], seen["ruling"]) == ("ruled", ruling.pk)
    dashboard = api_as(wf.merchant).get("/api/v1/merchant/dashboard/").json()
    records = [r for r in dashboard["records"] if r["ruling"] and r["ruling"]["id"] == ruling.pk]
    assert [(r["kind"], r["points"]) for r in records] == [(PenaltyKind.DISPUTE_LOST, 2)]
    assert records[0]["ruling"]["outcome"] == "buyer_full_refund"
    assert Evidence.objects.filter(refund=case.refund).count() == 3


def test_a_supervisor_overturns_an_appeal_and_the_points_go_back(page, shoot, wf, supervisor, shop):
    wf.now = timezone.now() - timedelta(days=1)
    ruling = wf.rule_against_merchant(wf.intervention("under_review"), merchant_cooperated=False)
    appeal = ds.ruling_appeal(
        ruling=ruling, actor=wf.merchant, statement="The courier broke it", now=wf.now
    )
    period = penalty_period(timezone.now())
    assert points_in_period(shop_id=shop.pk, period=period) == 6

    log_in(page, supervisor.username)
    page.goto(admin_path("disputes/appeal/"))
    page.click(f"text=#{appeal.pk}")
    page.wait_for_selector("#appeal")
    assert "The courier broke it" in page.inner_text("#appeal")
    page.check("input[name=decision][value=overturn]")
    page.fill("#id_note", "The courier's report confirms the damage in transit.")
    shoot(page, "admin-appeal")
    page.click("input[type=submit][value]:not([name])")
    page.wait_for_selector("#decision")

    assert points_in_period(shop_id=shop.pk, period=period) == 0
    assert not PenaltyRecord.objects.filter(ruling=ruling, reversed_at__isnull=True).exists()
    dashboard = api_as(wf.merchant).get("/api/v1/merchant/dashboard/").json()
    assert dashboard["points"] == 0
    assert all(r["reversed_at"] for r in dashboard["records"])

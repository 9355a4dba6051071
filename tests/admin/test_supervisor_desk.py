"""The supervisors' desk: appeals with uphold / overturn, restrictions with lift, and the
per-shop points adjustment; each through its service, each closed to agents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry
from disputes import services as ds
from disputes.models import Appeal, AppealDecision
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import points_in_period
from tests.admin.conftest import admin_path


@pytest.fixture
def appeal(wf):
    ruling = wf.rule_against_merchant(wf.intervention("under_review"), merchant_cooperated=False)
    return ds.ruling_appeal(
        ruling=ruling, actor=wf.merchant, statement="The courier broke it", now=wf.now
    )


def appeal_url(appeal, rest="change/") -> str:
    return admin_path(f"disputes/appeal/{appeal.pk}/{rest}")


@pytest.fixture
def restricted(wf, shop):
    """Restricted now (the admin acts at the present moment)."""
    wf.now = timezone.now() - timedelta(hours=1)
    for _ in range(6):
        wf.later(minutes=5)
        wf.rule_against_merchant(wf.intervention("under_review"))
    return Restriction.objects.get(shop=shop)


def test_the_appeals_queue_lists_waiting_appeals(client_for, supervisor, appeal):
    response = client_for(supervisor).get(admin_path("disputes/appeal/"))

    assert [a.pk for a in response.context["cl"].result_list] == [appeal.pk]
    assert "The courier broke it" in client_for(supervisor).get(appeal_url(appeal)).content.decode()


def test_a_supervisor_overturns_an_appeal_and_the_points_go_back(
    client_for, supervisor, appeal, shop
):
    assert points_in_period(shop_id=shop.pk, period=2026) == 6

    response = client_for(supervisor).post(
        appeal_url(appeal, "decide/"),
        {"decision": "overturn", "note": "The courier's report confirms it."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == appeal_url(appeal)
    appeal.refresh_from_db()
    assert (appeal.decision, appeal.decided_by) == (AppealDecision.OVERTURN, supervisor)
    assert points_in_period(shop_id=shop.pk, period=2026) == 0


def test_a_decision_needs_a_note(client_for, supervisor, appeal):
    response = client_for(supervisor).post(appeal_url(appeal, "decide/"), {"decision": "uphold"})

    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    appeal.refresh_from_db()
    assert appeal.decision == ""


def test_an_agent_cannot_decide_appeals(client_for, agent, appeal, shop):
    client = client_for(agent)

    assert client.get(appeal_url(appeal)).status_code == 403
    response = client.post(appeal_url(appeal, "decide/"), {"decision": "overturn", "note": "x"})

    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).decision == ""
    assert points_in_period(shop_id=shop.pk, period=2026) == 6


def test_a_supervisor_lifts_a_restriction_with_a_reason(client_for, supervisor, restricted, shop):
    client = client_for(supervisor)
    page = client.get(admin_path(f"penalties/restriction/{restricted.pk}/change/"))
    assert "lift/" in page.content.decode()

    missing = client.post(
        admin_path(f"penalties/restriction/{restricted.pk}/lift/"), {"reason": ""}
    )
    assert "reason" in missing.context["form"].errors
    client.post(
        admin_path(f"penalties/restriction/{restricted.pk}/lift/"), {"reason": "Courier's fault"}
    )

    restricted.refresh_from_db()
    assert restricted.ended_at is not None
    shop.refresh_from_db()
    assert shop.restricted_until is None
    assert AuditEntry.objects.filter(action="restriction_lifted", actor=supervisor).exists()


def test_an_agent_cannot_lift_restrictions(client_for, agent, restricted):
    client = client_for(agent)

    assert (
        client.get(admin_path(f"penalties/restriction/{restricted.pk}/change/")).status_code == 403
    )
    response = client.post(
        admin_path(f"penalties/restriction/{restricted.pk}/lift/"), {"reason": "Please"}
    )

    assert response.status_code == 403
    restricted.refresh_from_db()
    assert restricted.ended_at is None


def test_a_supervisor_adjusts_a_shops_points_with_a_reason(client_for, supervisor, shop):
    client = client_for(supervisor)
    assert "adjust/" in client.get(admin_path(f"merchants/shop/{shop.pk}/change/")).content.decode()

    refused = client.post(admin_path(f"penalties/penaltyrecord/adjust/{shop.pk}/"), {"points": "3"})
    assert "reason" in refused.context["form"].errors
    too_many = client.post(
        admin_path(f"penalties/penaltyrecord/adjust/{shop.pk}/"), {"points": "-3", "reason": "x"}
    )
    assert too_many.context["form"].errors["points"] == ["该店铺本周期共 0 分：最多可减去 0 分。"]
    client.post(
        admin_path(f"penalties/penaltyrecord/adjust/{shop.pk}/"),
        {"points": "3", "reason": "Fake tracking numbers"},
    )

    record = PenaltyRecord.objects.get(kind=PenaltyKind.ADJUSTMENT)
    assert (record.shop, record.points, record.note) == (shop, 3, "Fake tracking numbers")


def test_an_agent_cannot_adjust_points(client_for, agent, shop):
    client = client_for(agent)

    assert (
        "adjust/"
        not in client.get(admin_path(f"merchants/shop/{shop.pk}/change/")).content.decode()
    )
    response = client.post(
        admin_path(f"penalties/penaltyrecord/adjust/{shop.pk}/"), {"points": "3", "reason": "x"}
    )

    assert response.status_code == 403
    assert not PenaltyRecord.objects.exists()

"""A supervisor lifts a restriction early, or adjusts a shop's points, always with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.errors import CoreErrorCode, InvalidInput, PermissionDenied
from core.models import AuditEntry, Notification
from penalties.errors import PenaltyErrorCode
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import points_in_period, restriction_lift, shop_points_adjust
from tests.refusals import refused


def _lose(wf, times: int) -> None:
    for _ in range(times):
        wf.later(minutes=5)
        wf.rule_against_merchant(wf.intervention("under_review"))


@pytest.fixture
def restricted(wf, shop):
    """The shop lost six disputes: 12 points, restricted for 7 days."""
    _lose(wf, 6)
    shop.refresh_from_db()
    assert shop.restricted_until is not None
    return Restriction.objects.get(shop=shop)


def test_a_supervisor_lifts_a_restriction_with_a_reason(wf, shop, supervisor, restricted):
    now = wf.later(hours=1)

    restriction_lift(restriction=restricted, actor=supervisor, reason="Courier's fault", now=now)

    restricted.refresh_from_db()
    shop.refresh_from_db()
    assert (restricted.ended_at, restricted.lifted_at) == (now, now)
    assert restricted.lifted_reason == "Courier's fault"
    assert shop.restricted_until is None
    assert points_in_period(shop_id=shop.pk, period=2026) == 12
    entry = AuditEntry.objects.get(action="restriction_lifted", target_id=shop.pk)
    assert (entry.actor, entry.actor_role, entry.note) == (
        supervisor,
        "supervisor",
        "Courier's fault",
    )
    assert Notification.objects.filter(
        recipient=wf.merchant, message__contains="lifted the restriction"
    ).exists()


def test_a_lifted_restriction_is_not_imposed_again_for_the_same_threshold(
    wf, shop, supervisor, restricted
):
    restriction_lift(restriction=restricted, actor=supervisor, reason="Courier", now=wf.now)
    wf.product.shop.refresh_from_db()  # the shop sells again

    _lose(wf, 1)  # 14 points: still the first threshold

    assert Restriction.objects.filter(shop=shop).count() == 1
    shop.refresh_from_db()
    assert shop.restricted_until is None


def test_after_an_early_lift_the_next_threshold_still_restricts_for_twice_as_long(
    wf, shop, supervisor, restricted
):
    restriction_lift(restriction=restricted, actor=supervisor, reason="Courier", now=wf.now)
    wf.product.shop.refresh_from_db()  # the shop sells again

    _lose(wf, 6)  # 24 points: the second threshold

    second = Restriction.objects.get(shop=shop, level=2)
    assert second.ends_at - second.starts_at == timedelta(days=14)
    shop.refresh_from_db()
    assert shop.restricted_until == second.ends_at


def test_points_taken_away_after_an_early_lift_let_the_threshold_restrict_again(
    wf, shop, supervisor, restricted
):
    restriction_lift(restriction=restricted, actor=supervisor, reason="Courier", now=wf.now)
    shop_points_adjust(shop=shop, actor=supervisor, points=-2, reason="Ruling error", now=wf.now)
    wf.product.shop.refresh_from_db()  # the shop sells again

    _lose(wf, 1)  # back to 12 points

    again = Restriction.objects.get(shop=shop, lifted_at__isnull=True)
    assert (again.level, again.ends_at - again.starts_at) == (1, timedelta(days=7))
    restricted.refresh_from_db()
    assert restricted.lifted_reason == "Courier"  # the supervisor's lift keeps its reason


def test_lifting_is_refused_to_agents_without_a_reason_and_when_not_in_force(
    wf, shop, agent, supervisor, restricted
):
    with refused(PenaltyErrorCode.SUPERVISORS_ONLY):
        restriction_lift(restriction=restricted, actor=agent, reason="Please", now=wf.now)
    with refused(CoreErrorCode.TEXT_REQUIRED):
        restriction_lift(restriction=restricted, actor=supervisor, reason="  ", now=wf.now)
    with refused(PenaltyErrorCode.RESTRICTION_NOT_IN_FORCE):
        restriction_lift(
            restriction=restricted, actor=supervisor, reason="Late", now=wf.now + timedelta(days=8)
        )

    restricted.refresh_from_db()
    assert restricted.ended_at is None
    assert not AuditEntry.objects.filter(action="restriction_lifted").exists()


def test_adding_points_restricts_at_the_threshold(wf, shop, supervisor):
    _lose(wf, 5)  # 10 points

    record = shop_points_adjust(
        shop=shop, actor=supervisor, points=2, reason="Fake tracking numbers", now=wf.now
    )

    assert (record.kind, record.points, record.note, record.ruling) == (
        PenaltyKind.ADJUSTMENT,
        2,
        "Fake tracking numbers",
        None,
    )
    assert points_in_period(shop_id=shop.pk, period=2026) == 12
    assert Restriction.objects.get(shop=shop).points_at_start == 12
    shop.refresh_from_db()
    assert shop.restricted_until == wf.now + timedelta(days=7)
    entry = AuditEntry.objects.get(action="points_adjusted")
    assert (entry.actor, entry.actor_role) == (supervisor, "supervisor")
    with translation.override("en"):
        assert "+2 points: 12 in 2026" in entry.note_text
    with translation.override("zh-hans"):
        assert "调整 +2 分：2026 年累计 12 分" in entry.note_text
    with translation.override("en"):
        told = [n.text for n in Notification.objects.filter(recipient=wf.merchant)]
    assert any("adjusted your penalty points by +2: 12/" in text for text in told)


def test_removing_points_lifts_a_restriction_that_no_longer_holds(wf, shop, supervisor, restricted):
    shop_points_adjust(shop=shop, actor=supervisor, points=-2, reason="Ruling error", now=wf.now)

    assert points_in_period(shop_id=shop.pk, period=2026) == 10
    restricted.refresh_from_db()
    assert restricted.lifted_at == wf.now
    shop.refresh_from_db()
    assert shop.restricted_until is None
    assert AuditEntry.objects.filter(action="restriction_lifted", actor=supervisor).count() == 1


def test_adjustments_are_refused_to_agents_for_zero_too_many_or_without_a_reason(
    wf, shop, agent, supervisor
):
    _lose(wf, 1)  # 2 points
    refusals = [
        ({"actor": agent, "points": 2, "reason": "x"}, PermissionDenied),
        ({"actor": supervisor, "points": 0, "reason": "x"}, InvalidInput),
        ({"actor": supervisor, "points": -3, "reason": "x"}, InvalidInput),
        ({"actor": supervisor, "points": 2, "reason": ""}, InvalidInput),
        ({"actor": supervisor, "points": "two", "reason": "x"}, InvalidInput),
    ]
    for kwargs, error in refusals:
        with pytest.raises(error):
            shop_points_adjust(shop=shop, now=wf.now, **kwargs)

    assert not PenaltyRecord.objects.filter(kind=PenaltyKind.ADJUSTMENT).exists()
    assert not AuditEntry.objects.filter(action="points_adjusted").exists()
    assert points_in_period(shop_id=shop.pk, period=2026) == 2


def test_the_database_refuses_an_adjustment_without_a_reason_or_a_ruling_without_points(wf, shop):
    ruling = wf.rule_against_merchant(wf.intervention("under_review"))
    bad_rows = [
        {"kind": PenaltyKind.ADJUSTMENT, "points": 2, "note": ""},
        {"kind": PenaltyKind.ADJUSTMENT, "points": 0, "note": "x"},
        {"kind": PenaltyKind.ADJUSTMENT, "points": 2, "note": "x", "ruling": ruling},
        {"kind": PenaltyKind.NON_COOPERATION, "points": -4, "ruling": ruling},
        {"kind": PenaltyKind.NON_COOPERATION, "points": 4},
    ]
    for row in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            PenaltyRecord.objects.create(shop=shop, period=2026, **row)


def test_the_merchants_dashboard_shows_an_adjustment_with_its_reason(wf, shop, supervisor):
    ruling = wf.rule_against_merchant(wf.intervention("under_review"))
    shop_points_adjust(
        shop=shop, actor=supervisor, points=3, reason="Fake tracking numbers", now=wf.now
    )
    client = Client()
    client.force_login(wf.merchant)

    page = client.get(reverse("penalty-dashboard")).content.decode()

    assert page.count('<li class="record') == 2
    assert "Fake tracking numbers" in page
    assert ruling.rationale in page
    records = client.get("/api/v1/merchant/dashboard/").json()["records"]
    adjustment = next(r for r in records if r["kind"] == "adjustment")
    assert (adjustment["points"], adjustment["note"], adjustment["ruling"]) == (
        3,
        "Fake tracking numbers",
        None,
    )

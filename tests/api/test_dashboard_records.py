"""The dashboard and its records are written by hand (penalties/api/serializers.py): they read as
DRF's walk over the same declared fields would write them."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from disputes.selectors import refund_response_stats
from penalties.api.serializers import (
    DashboardSerializer,
    PenaltyRecordSerializer,
    PenaltyRulingSerializer,
)
from penalties.models import PenaltyKind, PenaltyRecord
from penalties.selectors import merchant_dashboard

pytestmark = pytest.mark.django_db


def drf_walk(record: PenaltyRecord) -> dict:
    data = serializers.Serializer.to_representation(PenaltyRecordSerializer(), record)
    if record.ruling is not None:
        data["ruling"] = serializers.Serializer.to_representation(
            PenaltyRulingSerializer(), record.ruling
        )
    return data


def test_ruled_adjusted_and_reversed_records_read_as_drf_writes_them(wf, t0):
    # given a record from a ruling, an adjustment and a reversed adjustment
    intervention = wf.intervention("ruled")
    shop = intervention.shop
    PenaltyRecord.objects.create(
        shop=shop, kind=PenaltyKind.ADJUSTMENT, points=-2, period=t0.year, note="Goodwill"
    )
    PenaltyRecord.objects.create(
        shop=shop,
        kind=PenaltyKind.ADJUSTMENT,
        points=3,
        period=t0.year,
        reversed_at=t0,
        reversal_note="Entered twice",
        note="Late answers",
    )
    records = list(
        PenaltyRecord.objects.filter(shop=shop).select_related(
            "ruling__intervention", "ruling__appeal"
        )
    )
    assert {r.ruling is None for r in records} == {True, False}

    # then each one's hand-written answer is DRF's
    for record in records:
        assert PenaltyRecordSerializer().to_representation(record) == drf_walk(record)


@pytest.mark.parametrize("lost", [0, 1])
def test_the_dashboard_reads_as_drf_writes_it(wf, t0, lost):
    # given a shop with no record, or one lost dispute (records, months, advice)
    shop = wf.product.shop
    if lost:
        wf.intervention("ruled")
    dashboard = merchant_dashboard(
        shop=shop, refund_responses=refund_response_stats(shop_id=shop.pk), now=t0
    )

    # then the hand-written answer is DRF's walk over the declared fields
    serializer = DashboardSerializer()
    assert serializer.to_representation(dashboard) == serializers.Serializer.to_representation(
        DashboardSerializer(), dashboard
    )

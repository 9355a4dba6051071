"""The dashboard's records are written by hand (penalties/api/serializers.py): they read as
DRF's walk over the same declared fields would write them."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from penalties.api.serializers import PenaltyRecordSerializer, PenaltyRulingSerializer
from penalties.models import PenaltyKind, PenaltyRecord

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

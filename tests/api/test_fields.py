from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers

from core.api.fields import datetime_repr, decimal_repr

MOMENT = datetime(2026, 11, 26, 22, 5, 7, 123456, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
@pytest.mark.parametrize("value", [MOMENT, MOMENT.replace(microsecond=0), None])
def test_times_written_by_hand_read_as_drfs_datetimefield_writes_them(zone, value):
    with timezone.override(zone):
        assert datetime_repr(value) == (
            serializers.DateTimeField().to_representation(value) if value else None
        )


@pytest.mark.parametrize("value", ["0.01", "26.05", "100.00", "9999999999.99"])
def test_money_written_by_hand_reads_as_drfs_decimalfield_writes_it(value):
    field = serializers.DecimalField(max_digits=14, decimal_places=2)
    assert decimal_repr(Decimal(value)) == field.to_representation(Decimal(value))


@pytest.mark.parametrize("value", ["0.0000", "0.0312", "1.0000"])
def test_rates_written_by_hand_read_as_drfs_decimalfield_writes_them(value):
    field = serializers.DecimalField(max_digits=6, decimal_places=4)
    assert decimal_repr(Decimal(value), 4) == field.to_representation(Decimal(value))

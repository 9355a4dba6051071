from __future__ import annotations

from rest_framework import serializers

from core.api.fields import datetime_repr, decimal_repr
from penalties.models import PenaltyRecord, Restriction


class RestrictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Restriction
        fields = ["id", "period", "level", "points_at_start", "starts_at", "ends_at"]


class PenaltyRulingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.CharField()
    refund_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    rationale = serializers.CharField()
    created_at = serializers.DateTimeField()
    appeal_deadline = serializers.DateTimeField()
    overturned_at = serializers.DateTimeField(allow_null=True)
    intervention = serializers.IntegerField(source="intervention_id")
    refund = serializers.IntegerField(source="intervention.refund_id")
    appealed = serializers.SerializerMethodField()

    def get_appealed(self, ruling) -> bool:
        return getattr(ruling, "appeal", None) is not None

    def to_representation(self, ruling) -> dict:
        # The declared fields are the schema; this writes the same values straight from the
        # row, because DRF's per-field walk was most of the dashboard's serialising.
        return {
            "id": ruling.pk,
            "outcome": ruling.outcome,
            "refund_amount": (
                decimal_repr(ruling.refund_amount) if ruling.refund_amount is not None else None
            ),
            "rationale": ruling.rationale,
            "created_at": datetime_repr(ruling.created_at),
            "appeal_deadline": datetime_repr(ruling.appeal_deadline),
            "overturned_at": datetime_repr(ruling.overturned_at),
            "intervention": ruling.intervention_id,
            "refund": ruling.intervention.refund_id,
            "appealed": self.get_appealed(ruling),
        }


# Writes a record's ruling by hand; it reads nothing of a request, so one serves every answer.
_RULING = PenaltyRulingSerializer()


class PenaltyRecordSerializer(serializers.ModelSerializer):
    ruling = PenaltyRulingSerializer(read_only=True, allow_null=True)  # None: an adjustment
    counts = serializers.BooleanField(read_only=True)

    class Meta:
        model = PenaltyRecord
        fields = [
            "id",
            "kind",
            "points",
            "period",
            "created_at",
            "counts",
            "reversed_at",
            "reversal_note",
            "note",
            "ruling",
        ]

    def to_representation(self, record: PenaltyRecord) -> dict:
        # As PenaltyRulingSerializer's: the same values as the declared fields, by hand.
        ruling = record.ruling
        return {
            "id": record.pk,
            "kind": record.kind,
            "points": record.points,
            "period": record.period,
            "created_at": datetime_repr(record.created_at),
            "counts": record.counts,
            "reversed_at": datetime_repr(record.reversed_at),
            "reversal_note": record.reversal_note,
            "note": record.note,
            "ruling": _RULING.to_representation(ruling) if ruling is not None else None,
        }


# Writes the dashboard's records by hand, as _RULING its rulings.
_RECORD = PenaltyRecordSerializer()


class RefundResponseStatsSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    average_response_hours = serializers.FloatField(allow_null=True)
    auto_approved = serializers.IntegerField()


class MonthPointsSerializer(serializers.Serializer):
    month = serializers.DateField()
    points = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    shop = serializers.IntegerField(source="shop.pk")
    shop_name = serializers.CharField(source="shop.name")
    period = serializers.IntegerField()
    points = serializers.IntegerField()
    threshold = serializers.IntegerField()
    restriction = RestrictionSerializer(allow_null=True)
    restricted_until = serializers.DateTimeField(allow_null=True)
    records = PenaltyRecordSerializer(many=True)
    lost_disputes_30_days = serializers.IntegerField()
    lost_disputes_90_days = serializers.IntegerField()
    paid_orders_90_days = serializers.IntegerField()
    lost_dispute_rate_90_days = serializers.DecimalField(max_digits=6, decimal_places=4)
    seller_level = serializers.CharField()
    refund_responses = RefundResponseStatsSerializer()
    points_by_month = MonthPointsSerializer(many=True)
    low_value_item = serializers.DecimalField(max_digits=12, decimal_places=2)
    advice = serializers.CharField(allow_null=True)

    def to_representation(self, dashboard) -> dict:
        # As the records': the declared fields are the schema, the same values are written by
        # hand (DRF builds and walks some sixty fields for this one answer otherwise).
        restriction = dashboard.restriction
        responses = dashboard.refund_responses
        return {
            "shop": dashboard.shop.pk,
            "shop_name": dashboard.shop.name,
            "period": dashboard.period,
            "points": dashboard.points,
            "threshold": dashboard.threshold,
            "restriction": (
                {
                    "id": restriction.pk,
                    "period": restriction.period,
                    "level": restriction.level,
                    "points_at_start": restriction.points_at_start,
                    "starts_at": datetime_repr(restriction.starts_at),
                    "ends_at": datetime_repr(restriction.ends_at),
                }
                if restriction is not None
                else None
            ),
            "restricted_until": datetime_repr(dashboard.restricted_until),
            "records": [_RECORD.to_representation(record) for record in dashboard.records],
            "lost_disputes_30_days": dashboard.lost_disputes_30_days,
            "lost_disputes_90_days": dashboard.lost_disputes_90_days,
            "paid_orders_90_days": dashboard.paid_orders_90_days,
            "lost_dispute_rate_90_days": decimal_repr(dashboard.lost_dispute_rate_90_days, 4),
            "seller_level": dashboard.seller_level,
            "refund_responses": {
                "answered": responses.answered,
                "average_response_hours": (
                    float(responses.average_response_hours)
                    if responses.average_response_hours is not None
                    else None
                ),
                "auto_approved": responses.auto_approved,
            },
            "points_by_month": [
                {"month": month["month"].isoformat(), "points": month["points"]}
                for month in dashboard.points_by_month
            ],
            "low_value_item": decimal_repr(dashboard.low_value_item),
            "advice": str(dashboard.advice) if dashboard.advice is not None else None,
        }

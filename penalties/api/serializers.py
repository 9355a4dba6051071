from __future__ import annotations

from rest_framework import serializers

from core.api.answers import AnswerModelSerializer, AnswerSerializer
from penalties.models import PenaltyRecord, Restriction


class RestrictionSerializer(AnswerModelSerializer):
    class Meta:
        model = Restriction
        fields = ["id", "period", "level", "points_at_start", "starts_at", "ends_at"]


class PenaltyRulingSerializer(AnswerSerializer):
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


class PenaltyRecordSerializer(AnswerModelSerializer):
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


class RefundResponseStatsSerializer(AnswerSerializer):
    answered = serializers.IntegerField()
    average_response_hours = serializers.FloatField(allow_null=True)
    auto_approved = serializers.IntegerField()


class MonthPointsSerializer(AnswerSerializer):
    month = serializers.DateField()
    points = serializers.IntegerField()


class DashboardSerializer(AnswerSerializer):
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

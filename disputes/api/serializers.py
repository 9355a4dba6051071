from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.answers import AnswerModelSerializer, action_url_name
from core.api.money import MoneyField
from core.roles import is_agent
from core.rules import get_rules
from disputes.models import (
    Appeal,
    AppealDecision,
    Courier,
    Evidence,
    Intervention,
    Message,
    MessageImage,
    Party,
    RefundKind,
    RefundOffer,
    RefundReason,
    RefundRequest,
    Ruling,
    RulingOutcome,
)
from disputes.policies import (
    INTERVENTION_ACTIONS,
    REFUND_ACTIONS,
    intervention_actions,
    refund_actions,
)
from disputes.selectors import buyer_history, intervention_move, refund_move
from orders.selectors import orders_visible_to


class StatementField(serializers.CharField):
    """A statement, reason or note: at most the rules' `max_text_length` (core/rules.py), read
    each time a serializer is made, so that a PLATFORM_RULES override applies here too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", get_rules().max_text_length)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class VisibleOrderField(serializers.PrimaryKeyRelatedField):
    """An order the caller can see; anyone else's reads as 'does not exist'."""

    def get_queryset(self):
        # The service locks and reads the order itself: only its id is needed here.
        return orders_visible_to(self.context["request"].user).only("pk")


class RefundCreateSerializer(serializers.Serializer):
    order = VisibleOrderField()
    kind = serializers.ChoiceField(choices=RefundKind.choices)
    reason = serializers.ChoiceField(choices=RefundReason.choices)
    amount = MoneyField(min_value=Decimal("0.01"))
    description = StatementField(required=False, allow_blank=True, default="")


class RefundRejectSerializer(serializers.Serializer):
    reason = StatementField()


class RefundReviseSerializer(serializers.Serializer):
    amount = MoneyField(min_value=Decimal("0.01"))
    reason = serializers.ChoiceField(choices=RefundReason.choices)
    description = StatementField(required=False, allow_blank=True, default="")


class RefundOfferCreateSerializer(serializers.Serializer):
    amount = MoneyField(
        min_value=Decimal("0.01"), help_text='Less than the amount asked, e.g. "20.00".'
    )
    return_required = serializers.BooleanField(
        default=False, help_text="Whether the buyer sends the goods back for this amount."
    )
    message = StatementField(help_text="Why this offer, for the buyer.")


class RefundOfferSerializer(AnswerModelSerializer):
    """A negotiation offer (协商方案) the shop made on the request, and how it ended."""

    class Meta:
        model = RefundOffer
        fields = [
            "id",
            "refund",
            "amount",
            "asked_amount",
            "return_required",
            "message",
            "outcome",
            "created_at",
            "answered_at",
        ]
        read_only_fields = fields


class RefundEscalateSerializer(serializers.Serializer):
    statement = StatementField()


class RefundShipReturnSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=64)
    # Optional in the contract (SPEC §8: `{tracking_number, courier?}`), so that a client
    # written before couriers still ships: it is recorded as another courier.
    courier = serializers.ChoiceField(
        choices=Courier.choices,
        required=False,
        default=Courier.OTHER,
        help_text="The courier (快递公司); `other` when left out.",
    )


class ReturnAddressSnapshotSerializer(serializers.Serializer):
    """Where the buyer sends the goods: the shop's default return address as it was when the
    return was agreed (a copy: later edits of the shop's addresses do not change it)."""

    name = serializers.CharField(source="return_to_name")
    phone = serializers.CharField(source="return_to_phone")
    region = serializers.CharField(source="return_to_region")
    address = serializers.CharField(source="return_to_address")


class EvidenceUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="A JPEG, PNG or WebP image of at most 5 MB.")


class InterventionEvidenceSerializer(serializers.Serializer):
    statement = StatementField(required=False, allow_blank=True, default="")
    image = serializers.FileField(required=False, help_text="A JPEG, PNG or WebP image ≤ 5 MB.")


class EvidenceSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField(
        help_text="The access-checked URL of the file (the parties of the case and staff only)."
    )

    class Meta:
        model = Evidence
        fields = ["id", "party", "image", "content_type", "size", "created_at", "intervention"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_image(self, evidence: Evidence) -> str:
        url = reverse("evidence-file", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class MessageWriteSerializer(serializers.Serializer):
    text = StatementField(required=False, allow_blank=True, default="")
    image = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Up to 3 photos (send the field once per photo): JPEG, PNG or WebP, ≤ 5 MB.",
    )


class MessageImageSerializer(AnswerModelSerializer):
    image = serializers.URLField(
        source="*",
        read_only=True,
        help_text="The access-checked URL of the file (those who read the messages only).",
    )

    class Meta:
        model = MessageImage
        fields = ["id", "image", "content_type", "size"]
        read_only_fields = fields

    def get_image(self, image: MessageImage) -> str:
        url = reverse("message-image-file", args=[image.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class MessageSerializer(AnswerModelSerializer):
    """A message (留言) on a request: which side wrote it, its text and photos. Who on that
    side wrote it is the platform's to know (the audit trail), not the other party's."""

    images = MessageImageSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "refund", "party", "text", "images", "created_at"]
        read_only_fields = fields


class RefundSerializer(AnswerModelSerializer):
    """A refund as its buyer or merchant sees it: whose move, by when, and what they may do."""

    order_number = serializers.CharField(source="order.number", read_only=True)
    whose_move = serializers.ChoiceField(
        choices=Party.choices, allow_null=True, source="*", read_only=True
    )
    deadline = serializers.DateTimeField(allow_null=True, source="*", read_only=True)
    available_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=[action_url_name(a) for a in REFUND_ACTIONS]),
        source="*",
        read_only=True,
    )
    # The case's id once escalated (None before: no intervention row).
    intervention = serializers.IntegerField(
        source="intervention.pk", allow_null=True, read_only=True
    )
    # None until a return is agreed · until the buyer ships it.
    return_address = ReturnAddressSnapshotSerializer(source="*", allow_null=True, read_only=True)
    return_courier = serializers.ChoiceField(
        choices=Courier.choices, allow_null=True, source="*", read_only=True
    )

    class Meta:
        model = RefundRequest
        fields = [
            "id",
            "order",
            "order_number",
            "shop",
            "buyer",
            "kind",
            "reason",
            "description",
            "amount",
            "state",
            "deadline",
            "whose_move",
            "available_actions",
            "intervention",
            "revision_count",
            "rejection_reason",
            "return_address",
            "return_courier",
            "return_tracking_number",
            "platform_ordered_return",
            "auto_approved",
            "created_at",
            "responded_at",
            "escalated_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_whose_move(self, refund: RefundRequest) -> str | None:
        return refund_move(refund).whose

    def get_deadline(self, refund: RefundRequest):
        return refund_move(refund).deadline

    def get_available_actions(self, refund: RefundRequest) -> list[str]:
        user = self.context["request"].user
        return [action_url_name(name) for name in refund_actions(refund, user)]

    def get_return_address(self, refund: RefundRequest) -> RefundRequest | None:
        return refund if refund.has_return_address else None

    def get_return_courier(self, refund: RefundRequest) -> str | None:
        return refund.return_courier or None


class BuyerHistorySerializer(serializers.Serializer):
    refunds_filed = serializers.IntegerField()
    interventions_won = serializers.IntegerField()
    interventions_lost = serializers.IntegerField()


class InterventionSerializer(serializers.ModelSerializer):
    deadline = serializers.SerializerMethodField()
    whose_move = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)
    ruling = serializers.SerializerMethodField()
    buyer_history = serializers.SerializerMethodField()

    class Meta:
        model = Intervention
        fields = [
            "id",
            "refund",
            "shop",
            "buyer",
            "state",
            "buyer_statement",
            "merchant_statement",
            "buyer_submitted_at",
            "merchant_submitted_at",
            "evidence_deadline",
            "ruling_deadline",
            "deadline",
            "whose_move",
            "available_actions",
            "opened_at",
            "closed_at",
            "evidence",
            "ruling",
            "buyer_history",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_deadline(self, intervention: Intervention):
        deadline = intervention_move(intervention).deadline
        return serializers.DateTimeField().to_representation(deadline) if deadline else None

    @extend_schema_field(serializers.ChoiceField(choices=Party.choices, allow_null=True))
    def get_whose_move(self, intervention: Intervention) -> str | None:
        return intervention_move(intervention).whose

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=INTERVENTION_ACTIONS))
    )
    def get_available_actions(self, intervention: Intervention) -> list[str]:
        return intervention_actions(intervention, self.context["request"].user)

    @extend_schema_field(BuyerHistorySerializer(allow_null=True))
    def get_buyer_history(self, intervention: Intervention) -> dict | None:
        """Agents see the buyer's record, so that refund abuse is visible; the parties do not."""
        if not is_agent(self.context["request"].user):
            return None
        return BuyerHistorySerializer(buyer_history(intervention.buyer_id)).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_ruling(self, intervention: Intervention) -> int | None:
        ruling = getattr(intervention, "ruling", None)
        return ruling.pk if ruling is not None else None


class RuleSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=RulingOutcome.choices)
    refund_amount = MoneyField(min_value=Decimal("0.01"), required=False, allow_null=True)
    return_required = serializers.BooleanField(default=False)
    merchant_responsible = serializers.BooleanField()
    merchant_cooperated = serializers.BooleanField(required=False, allow_null=True)
    penalty_points = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )
    rationale = StatementField()


class RulingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ruling
        fields = [
            "id",
            "intervention",
            "outcome",
            "refund_amount",
            "return_required",
            "merchant_responsible",
            "merchant_cooperated",
            "penalty_points",
            "rationale",
            "created_at",
            "appeal_deadline",
            "overturned_at",
        ]
        read_only_fields = fields


class AppealCreateSerializer(serializers.Serializer):
    statement = StatementField()


class AppealDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=AppealDecision.choices)
    note = StatementField()


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = [
            "id",
            "ruling",
            "statement",
            "created_at",
            "decision",
            "decision_note",
            "decided_at",
        ]
        read_only_fields = fields

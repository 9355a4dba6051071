"""Refunds, interventions, rulings and appeals. Each action: fetch through the caller's
selector (another party's object is a 404), parse, call the one service, render."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.filters import FieldsFilterBackend
from core.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from core.api.parsers import BoundedJSONParser
from core.api.permissions import IsPlatformAgent, IsPlatformSupervisor
from core.api.schema import ACTION_ERRORS, LIST_ERRORS, errors
from core.api.throttles import ActionRateThrottle
from core.errors import DomainError
from disputes import services
from disputes.api.serializers import (
    AppealCreateSerializer,
    AppealDecideSerializer,
    AppealSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    InterventionEvidenceSerializer,
    InterventionSerializer,
    MessageSerializer,
    MessageWriteSerializer,
    RefundCreateSerializer,
    RefundEscalateSerializer,
    RefundOfferCreateSerializer,
    RefundOfferSerializer,
    RefundRejectSerializer,
    RefundReviseSerializer,
    RefundSerializer,
    RefundShipReturnSerializer,
    RuleSerializer,
    RulingSerializer,
)
from disputes.errors import DisputeErrorCode
from disputes.models import RefundOffer, RefundRequest
from disputes.policies import message_side
from disputes.selectors import (
    appeals_visible_to,
    interventions_visible_to,
    refund_messages,
    refund_offers,
    refunds_visible_to,
    rulings_visible_to,
)

# What RefundSerializer and the refund policies read.
REFUND_COLUMNS = (
    *(f.attname for f in RefundRequest._meta.concrete_fields),
    "order__number",
    "order__total",  # with the refunded amount: whether an offer is possible (`offer_cap`)
    "order__refunded_amount",
    *(
        f"intervention__{name}"
        for name in (
            "id",
            "state",
            "shop_id",
            "buyer_id",
            "merchant_submitted_at",
            "evidence_deadline",
            "ruling_deadline",
        )
    ),
)


def _parsed(serializer_class, request) -> dict:
    """The validated body. Called after the object lookup, so that another party's object
    answers 404 whatever the body."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _refund_action(summary: str, request=None):
    return extend_schema(
        request=request,
        responses={200: RefundSerializer, **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary=summary,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Your refund requests (as buyer, and your shop's as merchant)",
        responses={200: RefundSerializer, **errors(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(responses={200: RefundSerializer, **errors(401, 404)}),
)
@extend_schema(tags=["refunds"])
class RefundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"  # anything else than a number matches no route (404)
    serializer_class = RefundSerializer
    filter_backends = [FieldsFilterBackend]
    filterset_fields = ["state", "kind"]
    throttle_classes = [ActionRateThrottle]
    THROTTLE_SCOPES = {
        "create": "refund_file",
        "escalate": "refund_escalate",
        "evidence": "evidence_upload",
        "message_write": "refund_message",
    }

    @property
    def throttle_scope(self) -> str | None:
        return self.THROTTLE_SCOPES.get(getattr(self, "action", None))

    def get_queryset(self):
        # The answer names the shop by id and shows the case's state and deadlines: neither
        # the shop's row nor the case's statements are read for it.
        return (
            refunds_visible_to(self.request.user)
            .select_related(None)
            .select_related("order", "intervention")
            .only(*REFUND_COLUMNS)
            .order_by("-created_at", "-id")
        )

    def _render(self, refund, code=status.HTTP_200_OK) -> Response:
        # Re-read through the selector: the answer shows the refund as the caller sees it now.
        refund = refunds_visible_to(self.request.user).get(pk=refund.pk)
        return Response(self.get_serializer(refund).data, status=code)

    @extend_schema(
        request=RefundCreateSerializer,
        responses={201: RefundSerializer, **errors(400, 401, 403, 409, 422, 429)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="File an after-sales request (buyer)",
    )
    @idempotent
    def create(self, request):
        serializer = RefundCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        refund = services.refund_file(buyer=request.user, **serializer.validated_data)
        # The caller filed it and sees it as filed: shown from the row in hand, with no case
        # yet, instead of read back.
        RefundRequest.intervention.related.set_cached_value(refund, None)
        return Response(self.get_serializer(refund).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer(many=True), **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Add an evidence image (buyer or merchant)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    @idempotent
    def evidence(self, request, pk=None):
        refund = self.get_object()
        _parsed(EvidenceUploadSerializer, request)
        stored = services.refund_add_evidence(
            refund=refund, actor=request.user, images=request.FILES.getlist("image")
        )
        return Response(
            EvidenceSerializer(stored, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        responses={200: MessageSerializer(many=True), **errors(400, 401, 403, 404)},
        summary="The messages on a request, 协商记录, oldest first (the parties; agents once "
        "escalated)",
    )
    @action(detail=True, methods=["get"], parser_classes=[MultiPartParser, FormParser])
    def messages(self, request, pk=None):
        refund = self.get_object()
        if message_side(refund, request.user) is None:
            raise DomainError(DisputeErrorCode.NOT_IN_CONVERSATION)
        page = self.paginate_queryset(refund_messages(refund))
        answer = MessageSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(answer.data)

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": MessageWriteSerializer},
        responses={201: MessageSerializer, **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Write a message with up to 3 photos (the parties; agents once escalated); "
        "the other side is notified",
    )
    @messages.mapping.post
    @idempotent
    def message_write(self, request, pk=None):
        refund = self.get_object()
        data = _parsed(MessageWriteSerializer, request)
        message = services.refund_message_write(
            refund=refund,
            actor=request.user,
            text=data["text"],
            images=request.FILES.getlist("image"),
        )
        answer = MessageSerializer(message, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @_refund_action("Approve (merchant): refunded, or the buyer returns the goods")
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        return self._render(services.refund_approve(refund=self.get_object(), actor=request.user))

    @_refund_action("Refund without return, 退款不退货 (merchant)")
    @action(detail=True, methods=["post"], url_path="approve-without-return")
    @idempotent
    def approve_without_return(self, request, pk=None):
        refund = services.refund_approve_without_return(
            refund=self.get_object(), actor=request.user
        )
        return self._render(refund)

    @_refund_action("Reject with a reason (merchant)", RefundRejectSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        refund = self.get_object()
        data = _parsed(RefundRejectSerializer, request)
        refund = services.refund_reject(refund=refund, actor=request.user, **data)
        return self._render(refund)

    @_refund_action(
        "Make a negotiation offer, 协商方案 (merchant): less than asked, with or without the goods",
        RefundOfferCreateSerializer,
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def offer(self, request, pk=None):
        refund = self.get_object()
        data = _parsed(RefundOfferCreateSerializer, request)
        offer = services.refund_offer(refund=refund, actor=request.user, **data)
        return self._render(offer.refund)

    @_refund_action("Accept the shop's offer, 同意方案 (buyer): refunded, or return the goods")
    @action(detail=True, methods=["post"], url_path="accept-offer")
    @idempotent
    def accept_offer(self, request, pk=None):
        refund = services.refund_accept_offer(refund=self.get_object(), actor=request.user)
        return self._render(refund)

    @_refund_action("Decline the shop's offer, 拒绝方案 (buyer): as after a rejection")
    @action(detail=True, methods=["post"], url_path="decline-offer")
    @idempotent
    def decline_offer(self, request, pk=None):
        refund = services.refund_decline_offer(refund=self.get_object(), actor=request.user)
        return self._render(refund)

    @_refund_action("Revise a rejected request (buyer)", RefundReviseSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def revise(self, request, pk=None):
        refund = self.get_object()
        data = _parsed(RefundReviseSerializer, request)
        refund = services.refund_revise(refund=refund, actor=request.user, **data)
        return self._render(refund)

    @_refund_action("Cancel (buyer)")
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        return self._render(services.refund_cancel(refund=self.get_object(), actor=request.user))

    @_refund_action(
        "Apply for platform intervention, 申请平台介入 (buyer)", RefundEscalateSerializer
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def escalate(self, request, pk=None):
        refund = self.get_object()
        data = _parsed(RefundEscalateSerializer, request)
        services.refund_escalate(refund=refund, actor=request.user, **data)
        return self._render(refund)

    @_refund_action(
        "Ship the return with a courier and a tracking number (buyer)", RefundShipReturnSerializer
    )
    @action(detail=True, methods=["post"], url_path="ship-return")
    @idempotent
    def ship_return(self, request, pk=None):
        refund = self.get_object()
        data = _parsed(RefundShipReturnSerializer, request)
        refund = services.refund_ship_return(refund=refund, actor=request.user, **data)
        return self._render(refund)

    @_refund_action("Confirm the returned parcel (merchant)")
    @action(detail=True, methods=["post"], url_path="confirm-return")
    @idempotent
    def confirm_return(self, request, pk=None):
        refund = services.refund_confirm_return(refund=self.get_object(), actor=request.user)
        return self._render(refund)

    @_refund_action("Give the full refund before the ruling (merchant)")
    @action(detail=True, methods=["post"])
    @idempotent
    def concede(self, request, pk=None):
        return self._render(services.refund_concede(refund=self.get_object(), actor=request.user))


@extend_schema_view(
    list=extend_schema(
        summary="The shop's negotiation offers on a request, oldest first (either party)",
        responses={200: RefundOfferSerializer, **errors(*LIST_ERRORS)},
    ),
)
@extend_schema(tags=["refunds"])
class RefundOfferViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """/refunds/{refund_pk}/offers/: another party's request is a 404, as the request is."""

    serializer_class = RefundOfferSerializer
    queryset = RefundOffer.objects.none()  # what the schema reads; each request's is below

    def get_queryset(self):
        refund = get_object_or_404(
            refunds_visible_to(self.request.user).select_related(None).only("pk"),
            pk=self.kwargs["refund_pk"],
        )
        return refund_offers(refund)


@extend_schema_view(
    retrieve=extend_schema(responses={200: InterventionSerializer, **errors(401, 404)}),
)
@extend_schema(tags=["interventions"])
class InterventionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"
    serializer_class = InterventionSerializer
    throttle_classes = [ActionRateThrottle]

    @property
    def throttle_scope(self) -> str | None:
        return "evidence_upload" if getattr(self, "action", None) == "evidence" else None

    def get_queryset(self):
        return (
            interventions_visible_to(self.request.user)
            .select_related("ruling")
            .prefetch_related("evidence")
        )

    def _render(self, intervention, code=status.HTTP_200_OK) -> Response:
        intervention = self.get_queryset().get(pk=intervention.pk)
        return Response(self.get_serializer(intervention).data, status=code)

    @extend_schema(
        request={
            "multipart/form-data": InterventionEvidenceSerializer,
            "application/json": InterventionEvidenceSerializer,
        },
        responses={201: InterventionSerializer, **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Give a statement and evidence while the window is open (either party)",
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, BoundedJSONParser],
    )
    @idempotent
    def evidence(self, request, pk=None):
        intervention = self.get_object()
        data = _parsed(InterventionEvidenceSerializer, request)
        services.intervention_submit_evidence(
            intervention=intervention,
            actor=request.user,
            statement=data["statement"],
            images=request.FILES.getlist("image"),
        )
        return self._render(intervention, status.HTTP_201_CREATED)

    @extend_schema(
        request=RuleSerializer,
        responses={201: RulingSerializer, **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Rule on the case (platform agent)",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsPlatformAgent])
    @idempotent
    def rule(self, request, pk=None):
        intervention = self.get_object()
        data = _parsed(RuleSerializer, request)
        ruling = services.intervention_rule(intervention=intervention, actor=request.user, **data)
        return Response(RulingSerializer(ruling).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["rulings"])
class RulingViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    serializer_class = RulingSerializer

    def get_queryset(self):
        return rulings_visible_to(self.request.user)

    @extend_schema(
        request=AppealCreateSerializer,
        responses={201: AppealSerializer, **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Appeal a ruling once, with new information (merchant)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def appeal(self, request, pk=None):
        ruling = self.get_object()
        data = _parsed(AppealCreateSerializer, request)
        appeal = services.ruling_appeal(ruling=ruling, actor=request.user, **data)
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["appeals"])
class AppealViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    serializer_class = AppealSerializer
    permission_classes = [IsPlatformSupervisor]

    def get_queryset(self):
        return appeals_visible_to(self.request.user)

    @extend_schema(
        request=AppealDecideSerializer,
        responses={200: AppealSerializer, **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Uphold or overturn an appeal (platform supervisor)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request, pk=None):
        appeal = self.get_object()
        data = _parsed(AppealDecideSerializer, request)
        appeal = services.appeal_decide(appeal=appeal, actor=request.user, **data)
        return Response(AppealSerializer(appeal).data)

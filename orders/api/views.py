"""Orders: the buyer places and pays, the merchant ships and delivers, the buyer confirms."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import FieldsFilterBackend
from core.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from core.api.schema import ACTION_ERRORS, LIST_ERRORS, errors
from orders import services
from orders.api.serializers import OrderCreateSerializer, OrderSerializer, OrderShipSerializer
from orders.selectors import items_with_snapshots, orders_visible_to


def _action_schema(summary: str, request=None):
    return extend_schema(
        request=request,
        responses={200: OrderSerializer, **errors(*ACTION_ERRORS)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary=summary,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Your orders (as buyer, and your shop's as merchant)",
        responses={200: OrderSerializer, **errors(*LIST_ERRORS)},
    ),
    retrieve=extend_schema(responses={200: OrderSerializer, **errors(401, 404)}),
)
@extend_schema(tags=["orders"])
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"  # anything else than a number matches no route (404)
    serializer_class = OrderSerializer
    filter_backends = [FieldsFilterBackend]
    filterset_fields = ["state"]

    def get_queryset(self):
        return (
            orders_visible_to(self.request.user)
            .select_related("shop")
            .prefetch_related(Prefetch("items", items_with_snapshots()))
            .order_by("-created_at", "-id")
        )

    def _render(self, order, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(order).data, status=code)

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, **errors(400, 401, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Buy a product: the order waits for payment",
    )
    @idempotent
    def create(self, request):
        serializer = OrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.order_place(buyer=request.user, **serializer.validated_data)
        return self._render(order, status.HTTP_201_CREATED)

    @_action_schema("Pay (simulated payment)")
    @action(detail=True, methods=["post"])
    @idempotent
    def pay(self, request, pk=None):
        order = services.order_pay(order=self.get_object(), actor=request.user)
        return self._render(order)

    @_action_schema("Ship with a tracking number (merchant)", OrderShipSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def ship(self, request, pk=None):
        order = self.get_object()  # before parsing: another party's order is a 404
        serializer = OrderShipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.order_ship(order=order, actor=request.user, **serializer.validated_data)
        return self._render(order)

    @_action_schema("Mark delivered (merchant)")
    @action(detail=True, methods=["post"])
    @idempotent
    def deliver(self, request, pk=None):
        order = services.order_deliver(order=self.get_object(), actor=request.user)
        return self._render(order)

    @_action_schema("Confirm receipt (buyer)")
    @action(detail=True, methods=["post"], url_path="confirm-receipt")
    @idempotent
    def confirm_receipt(self, request, pk=None):
        order = services.order_confirm_receipt(order=self.get_object(), actor=request.user)
        return self._render(order)

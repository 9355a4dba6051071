from __future__ import annotations

from rest_framework import serializers

from core.api.fields import action_url_name, datetime_repr, decimal_repr
from core.fsm import available_actions
from merchants.models import Product
from orders.models import Order, OrderItem

# The transitions a user can ask for through the API (the others are the system's).
ORDER_API_ACTIONS = ("pay", "ship", "deliver", "confirm_receipt")


class OrderCreateSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.select_related("shop"))
    quantity = serializers.IntegerField(min_value=1, max_value=99)


class OrderShipSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=64)


class OrderItemSerializer(serializers.ModelSerializer):
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = OrderItem
        fields = ["product", "title", "quantity", "unit_price", "line_total"]


class OrderSerializer(serializers.ModelSerializer):
    # The declared fields are the answer's schema; `to_representation` writes the same values
    # straight from the row, because DRF's per-field walk was most of an order list's cost.

    items = OrderItemSerializer(many=True, read_only=True)
    shop_name = serializers.CharField(source="shop.name", read_only=True)
    available_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=[action_url_name(a) for a in ORDER_API_ACTIONS]),
        read_only=True,
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "state",
            "buyer",
            "shop",
            "shop_name",
            "items",
            "total",
            "refunded_amount",
            "tracking_number",
            "created_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "completed_at",
            "closed_at",
            "auto_confirm_at",
            "available_actions",
        ]
        read_only_fields = fields

    def to_representation(self, order: Order) -> dict:
        user = self.context["request"].user
        return {
            "id": order.pk,
            "number": order.number,
            "state": order.state,
            "buyer": order.buyer_id,
            "shop": order.shop_id,
            "shop_name": order.shop.name,
            "items": [
                {
                    "product": item.product_id,
                    "title": item.title,
                    "quantity": item.quantity,
                    "unit_price": decimal_repr(item.unit_price),
                    "line_total": decimal_repr(item.line_total),
                }
                for item in order.items.all()
            ],
            "total": decimal_repr(order.total),
            "refunded_amount": decimal_repr(order.refunded_amount),
            "tracking_number": order.tracking_number,
            "created_at": datetime_repr(order.created_at),
            "paid_at": datetime_repr(order.paid_at),
            "shipped_at": datetime_repr(order.shipped_at),
            "delivered_at": datetime_repr(order.delivered_at),
            "completed_at": datetime_repr(order.completed_at),
            "closed_at": datetime_repr(order.closed_at),
            "auto_confirm_at": datetime_repr(order.auto_confirm_at),
            "available_actions": [
                action_url_name(name)
                for name in available_actions(order, user)
                if name in ORDER_API_ACTIONS
            ],
        }

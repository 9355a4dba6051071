from __future__ import annotations

from rest_framework import serializers

from core.api.answers import AnswerModelSerializer, action_url_name
from core.fsm import available_actions
from core.templating import url
from merchants.models import Product
from orders.models import Order, OrderItem

# The transitions a user can ask for through the API (the others are the system's).
ORDER_API_ACTIONS = ("pay", "ship", "deliver", "confirm_receipt")


class OrderCreateSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.select_related("shop"))
    quantity = serializers.IntegerField(min_value=1, max_value=99)


class OrderShipSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=64)


class SnapshotSerializer(AnswerModelSerializer):
    """The trade snapshot (交易快照): the listing as the buyer bought it, never changed since."""

    images = serializers.ListField(
        child=serializers.URLField(),
        source="*",
        read_only=True,
        help_text="Copies of the product's pictures taken at the sale, in order; private to "
        "the order's buyer, the shop and platform staff.",
    )
    listing_changed = serializers.BooleanField(
        source="*",
        read_only=True,
        help_text="The shop has edited the listing since the sale (商品信息已更新).",
    )

    class Meta:
        model = OrderItem
        fields = [
            "title",
            "unit_price",
            "description",
            "specification",
            "images",
            "listing_changed",
        ]

    def get_images(self, item: OrderItem) -> list[str]:
        request = self.context.get("request")
        urls = [url("snapshot-image", image.pk) for image in item.images.all()]
        return [request.build_absolute_uri(url) for url in urls] if request else urls

    def get_listing_changed(self, item: OrderItem) -> bool:
        return item.listing_changed


class OrderItemSerializer(AnswerModelSerializer):
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    snapshot = SnapshotSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text="Null for an item sold before snapshots were kept.",
    )

    class Meta:
        model = OrderItem
        fields = ["product", "title", "quantity", "unit_price", "line_total", "snapshot"]

    def get_snapshot(self, item: OrderItem) -> OrderItem | None:
        return item if item.has_snapshot else None


class OrderSerializer(AnswerModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    shop_name = serializers.CharField(source="shop.name", read_only=True)
    available_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=[action_url_name(a) for a in ORDER_API_ACTIONS]),
        source="*",
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

    def get_available_actions(self, order: Order) -> list[str]:
        user = self.context["request"].user
        return [
            action_url_name(name)
            for name in available_actions(order, user)
            if name in ORDER_API_ACTIONS
        ]

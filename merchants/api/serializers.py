from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from core.api.answers import AnswerModelSerializer
from core.api.money import MoneyField
from merchants.models import Product, ReturnAddress, Shop


class ShopCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class ShopSerializer(serializers.ModelSerializer):
    """A shop's public face: its credit, seller level and any restriction in force."""

    is_restricted = serializers.SerializerMethodField()
    public_warning = serializers.SerializerMethodField()

    class Meta:
        model = Shop
        fields = [
            "id",
            "name",
            "created_at",
            "dispute_cases",
            "ranking_score",
            "seller_level",
            "is_restricted",
            "restricted_until",
            "public_warning",
        ]

    def get_is_restricted(self, shop: Shop) -> bool:
        return shop.is_restricted()

    def get_public_warning(self, shop: Shop) -> str | None:
        if not shop.is_restricted():
            return None
        until = timezone.localtime(shop.restricted_until)
        return (
            f"This shop reached the penalty threshold and is restricted until "
            f"{until:%Y-%m-%d %H:%M}."
        )


class ProductCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    # Bounded so that a whole order of it fits the money columns.
    price = MoneyField(max_digits=10, min_value=Decimal("0.01"))


class ProductShopSerializer(AnswerModelSerializer):
    class Meta:
        model = Shop
        fields = ["id", "name", "seller_level", "ranking_score"]


class ProductSerializer(AnswerModelSerializer):
    shop = ProductShopSerializer(read_only=True)

    class Meta:
        model = Product
        fields = ["id", "title", "price", "is_published", "created_at", "shop"]


class ReturnAddressSerializer(AnswerModelSerializer):
    class Meta:
        model = ReturnAddress
        fields = ["id", "name", "phone", "region", "address", "is_default", "created_at"]
        read_only_fields = fields


class ReturnAddressWriteSerializer(serializers.Serializer):
    """An address as typed; the service checks what is required and the phone number."""

    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    region = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200)
    is_default = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Make it the address new returns go to (the shop's first one always is).",
    )


class ReturnAddressChangeSerializer(ReturnAddressWriteSerializer):
    """The fields to change; `is_default: true` moves the default here (false is not a change
    one can ask for: make another address the default instead)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)

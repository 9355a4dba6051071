from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from core.api.fields import MoneyField, datetime_repr, decimal_repr
from merchants.models import Product, Shop


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


class ProductShopSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shop
        fields = ["id", "name", "seller_level", "ranking_score"]


class ProductSerializer(serializers.ModelSerializer):
    shop = ProductShopSerializer(read_only=True)

    class Meta:
        model = Product
        fields = ["id", "title", "price", "is_published", "created_at", "shop"]

    def to_representation(self, product: Product) -> dict:
        # The declared fields are the schema; this writes the same values straight from the
        # row, because DRF's per-field walk was most of a catalogue page's cost.
        shop = product.shop
        return {
            "id": product.pk,
            "title": product.title,
            "price": decimal_repr(product.price),
            "is_published": product.is_published,
            "created_at": datetime_repr(product.created_at),
            "shop": {
                "id": shop.pk,
                "name": shop.name,
                "seller_level": shop.seller_level,
                "ranking_score": decimal_repr(shop.ranking_score),
            },
        }

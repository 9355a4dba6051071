from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from core.api.answers import AnswerModelSerializer
from core.api.money import MoneyField
from core.templating import url
from merchants.models import (
    PRODUCT_DESCRIPTION_LENGTH,
    PRODUCT_SPECIFICATION_LENGTH,
    Product,
    ReturnAddress,
    Shop,
)


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
    description = serializers.CharField(
        max_length=PRODUCT_DESCRIPTION_LENGTH, required=False, allow_blank=True
    )
    specification = serializers.CharField(
        max_length=PRODUCT_SPECIFICATION_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Free text, e.g. 颜色：黑色；尺码：L (colour: black; size: L)",
    )


class ProductShopSerializer(AnswerModelSerializer):
    class Meta:
        model = Shop
        fields = ["id", "name", "seller_level", "ranking_score"]


class ProductSerializer(AnswerModelSerializer):
    shop = ProductShopSerializer(read_only=True)
    images = serializers.ListField(
        child=serializers.URLField(),
        source="*",
        read_only=True,
        help_text="The public URLs of the product's pictures, in order: the first is its cover.",
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "price",
            "description",
            "specification",
            "images",
            "is_published",
            "created_at",
            "shop",
        ]

    def get_images(self, product: Product) -> list[str]:
        request = self.context.get("request")
        urls = [url("product-image", image.served_name) for image in product.images.all()]
        return [request.build_absolute_uri(url) for url in urls] if request else urls


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

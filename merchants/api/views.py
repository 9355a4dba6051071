"""Shops, their products and the public catalogue."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from core.api.schema import errors
from merchants.api.permissions import IsStaffOfShopInPath
from merchants.api.serializers import (
    ProductCreateSerializer,
    ProductSerializer,
    ShopCreateSerializer,
    ShopSerializer,
)
from merchants.models import Shop
from merchants.selectors import CatalogueListing
from merchants.services import product_create, shop_open


class ShopCreateView(APIView):
    @extend_schema(
        request=ShopCreateSerializer,
        responses={201: ShopSerializer, **errors(400, 401, 403, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Open a shop; the caller becomes its merchant",
        tags=["shops"],
    )
    @idempotent
    def post(self, request):
        serializer = ShopCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shop = shop_open(owner=request.user, name=serializer.validated_data["name"])
        return Response(ShopSerializer(shop).data, status=status.HTTP_201_CREATED)


class ShopDetailView(generics.RetrieveAPIView):
    """Public: the shop's credit, seller level, restriction and public warning."""

    permission_classes = [AllowAny]
    serializer_class = ShopSerializer
    queryset = Shop.objects.all()

    @extend_schema(tags=["shops"], responses={200: ShopSerializer, **errors(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ShopProductCreateView(APIView):
    permission_classes = [IsAuthenticated, IsStaffOfShopInPath]

    @extend_schema(
        request=ProductCreateSerializer,
        responses={201: ProductSerializer, **errors(400, 401, 403, 404, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="List a product (refused with 403 while the shop is restricted)",
        tags=["shops"],
    )
    @idempotent
    def post(self, request, pk: int):
        shop = get_object_or_404(Shop, pk=pk)
        serializer = ProductCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = product_create(shop=shop, **serializer.validated_data)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["products"], responses={200: ProductSerializer, **errors(400, 404)})
class CatalogueView(generics.ListAPIView):
    """The catalogue: published products of unrestricted shops, best-ranked first."""

    permission_classes = [AllowAny]
    serializer_class = ProductSerializer

    def get_queryset(self):
        return CatalogueListing()

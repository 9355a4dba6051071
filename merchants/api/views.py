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
    ReturnAddressChangeSerializer,
    ReturnAddressSerializer,
    ReturnAddressWriteSerializer,
    ShopCreateSerializer,
    ShopSerializer,
)
from merchants.models import Shop
from merchants.selectors import CatalogueListing, return_addresses_of
from merchants.services import (
    product_create,
    return_address_add,
    return_address_delete,
    return_address_update,
    shop_open,
)


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
        answer = ProductSerializer(product, context={"request": request})
        return Response(answer.data, status=status.HTTP_201_CREATED)


class ShopReturnAddressesView(APIView):
    """The shop's return addresses (退货地址), for its staff: the default first."""

    permission_classes = [IsAuthenticated, IsStaffOfShopInPath]

    @extend_schema(
        responses={200: ReturnAddressSerializer(many=True), **errors(401, 403, 404)},
        summary="The shop's return addresses (its staff)",
        tags=["shops"],
    )
    def get(self, request, pk: int):
        addresses = return_addresses_of(pk)
        return Response(ReturnAddressSerializer(addresses, many=True).data)

    @extend_schema(
        request=ReturnAddressWriteSerializer,
        responses={201: ReturnAddressSerializer, **errors(400, 401, 403, 404, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Add a return address (the shop's first becomes its default)",
        tags=["shops"],
    )
    @idempotent
    def post(self, request, pk: int):
        shop = get_object_or_404(Shop, pk=pk)
        serializer = ReturnAddressWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        address = return_address_add(shop=shop, make_default=data.pop("is_default"), **data)
        return Response(ReturnAddressSerializer(address).data, status=status.HTTP_201_CREATED)


class ShopReturnAddressView(APIView):
    """One of the shop's return addresses. Requests that copied it keep their copy."""

    permission_classes = [IsAuthenticated, IsStaffOfShopInPath]

    def _address(self, pk: int, address_id: int):
        return get_object_or_404(return_addresses_of(pk), pk=address_id)

    @extend_schema(
        request=ReturnAddressChangeSerializer,
        responses={200: ReturnAddressSerializer, **errors(400, 401, 403, 404)},
        summary="Change a return address, or make it the default (`is_default: true`)",
        tags=["shops"],
    )
    def patch(self, request, pk: int, address_id: int):
        address = self._address(pk, address_id)
        serializer = ReturnAddressChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        make_default = data.pop("is_default", False)
        kept = {f: getattr(address, f) for f in ("name", "phone", "region", "address")}
        address = return_address_update(
            return_address=address, make_default=make_default, **{**kept, **data}
        )
        return Response(ReturnAddressSerializer(address).data)

    @extend_schema(
        responses={204: None, **errors(401, 403, 404)},
        summary="Delete a return address (the newest other one becomes the default)",
        tags=["shops"],
    )
    def delete(self, request, pk: int, address_id: int):
        return_address_delete(return_address=self._address(pk, address_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["products"], responses={200: ProductSerializer, **errors(400, 404)})
class CatalogueView(generics.ListAPIView):
    """The catalogue: published products of unrestricted shops, best-ranked first."""

    permission_classes = [AllowAny]
    serializer_class = ProductSerializer

    def get_queryset(self):
        return CatalogueListing()

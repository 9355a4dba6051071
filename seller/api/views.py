"""The merchant's penalty dashboard: the shop's penalties with the dispute figures beside them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import errors
from disputes.selectors import refund_response_stats
from merchants.api.permissions import IsMerchant
from merchants.selectors import shop_of
from penalties.api.serializers import DashboardSerializer
from penalties.selectors import merchant_dashboard


class MerchantDashboardView(APIView):
    permission_classes = [IsAuthenticated, IsMerchant]

    @extend_schema(
        responses={200: DashboardSerializer, **errors(401, 403)},
        summary="Points against the threshold, restriction, records, rates and seller level",
        tags=["merchant"],
    )
    def get(self, request):
        shop = shop_of(request.user)
        dashboard = merchant_dashboard(
            shop=shop, refund_responses=refund_response_stats(shop_id=shop.pk)
        )
        return Response(DashboardSerializer(dashboard).data)

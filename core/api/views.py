"""Accounts and notifications."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import LIST_ERRORS, errors
from core.api.serializers import (
    NotificationSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)
from core.api.throttles import ClientAddressThrottle
from core.api.tokens import auth_token_for
from core.errors import CoreErrorCode, DomainError
from core.models import Notification
from core.selectors import notifications_for
from core.services import user_register


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # anyone may register; no CSRF check on an anonymous call
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=RegisterSerializer,
        responses={201: UserSerializer, **errors(400, 429)},
        summary="Register a buyer account",
        tags=["auth"],
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data, language=get_language())
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    """A wrong password counts towards django-axes' lockout (its middleware answers 429 once
    the account is locked for this address); the address is also rate-limited."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **errors(400, 429)},
        summary="Exchange a user name and password for an API token",
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise DomainError(CoreErrorCode.LOGIN_REFUSED)
        return Response(TokenSerializer(auth_token_for(user=user)).data)


@extend_schema(
    tags=["notifications"], responses={200: NotificationSerializer, **errors(*LIST_ERRORS)}
)
class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notification.objects.none()
        return notifications_for(self.request.user).select_related("target_type")

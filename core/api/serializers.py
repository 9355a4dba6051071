from __future__ import annotations

from rest_framework import serializers

from core.models import Notification


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    email = serializers.EmailField(required=False, allow_blank=True)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key")


class NotificationSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="target_type.model", read_only=True)
    # In the request's language (LocaleMiddleware: Accept-Language, the switcher's cookie).
    message = serializers.CharField(source="text", read_only=True)
    link = serializers.CharField(
        read_only=True, allow_null=True, help_text="The site's page where the reader acts on it."
    )
    picture = serializers.CharField(
        read_only=True, allow_null=True, help_text="The goods' picture, when the notice has one."
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "message",
            "link",
            "picture",
            "target_type",
            "target_id",
            "created_at",
            "read_at",
        ]

"""API tokens: DRF's, so they live with the API and the domain never imports DRF."""

from __future__ import annotations

from rest_framework.authtoken.models import Token


def auth_token_for(*, user) -> Token:
    """The user's API token, created on first use."""
    token, _created = Token.objects.get_or_create(user=user)
    return token

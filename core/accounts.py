"""The e-mail address of an account: proved by a signed link before notices are e-mailed to
it. The link is signed with the secret key and names the account and the address it was sent
to, so it proves nothing once the address has changed, and it expires."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from core.models import VerifiedEmail

_SALT = "core.email-verification"


def email_verification_token(user) -> str:
    """The token of the link that proves `user`'s present address."""
    return signing.TimestampSigner(salt=_SALT).sign_object(
        {"user": user.pk, "address": user.email.lower()}
    )


def email_verification_read(token: str) -> tuple[int, str] | None:
    """(user id, address) that a token names, or None when it is forged or expired."""
    try:
        signed = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(signed, dict):
        return None
    user_id, address = signed.get("user"), signed.get("address")
    if not isinstance(user_id, int) or not isinstance(address, str):
        return None
    return user_id, address


def email_verified(user) -> bool:
    """Whether `user` has an address and proved that it is theirs."""
    return (
        bool(user.email)
        and VerifiedEmail.objects.filter(user_id=user.pk, address__iexact=user.email).exists()
    )

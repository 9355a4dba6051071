"""E-mail for notifications, one per (event, recipient) in the recipient's language, and an
account's own e-mails (the link that proves its address, a password reset link)."""

from __future__ import annotations

import logging
import smtplib
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.accounts import email_verification_token, email_verified
from core.models import EmailDelivery, Notification
from core.outbox import PermanentError
from core.services import PASSWORD_RESET, VERIFY_EMAIL, language_of

logger = logging.getLogger(__name__)


def header_value(text: str) -> str:
    """`text` as one line fit for a mail header, whatever was typed into it: line breaks of
    every kind (CR, LF, U+2028…) and runs of blanks become one space; other control characters
    go."""
    printable = "".join(c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    return " ".join(printable.split())


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient, unless that was done already.

    Returns whether an e-mail went out; a deleted notification, or a recipient without an
    address or whose address is not proved (core.accounts), sends nothing: the notice is on
    the site all the same. See `_send_once` for what a retry sends, and what cannot be sent.
    """
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not email_verified(notification.recipient):
        return False
    recipient = notification.recipient
    language = language_of(recipient)
    with translation.override(language):
        # Users type parts of the text (a reject reason, a tracking number): one line, always.
        subject = header_value(
            _("[After-sales] %(summary)s")
            % {"summary": Truncator(header_value(notification.text)).chars(60)}
        )
        body = render_to_string(
            "core/email/notification.txt",
            {"user": recipient, "notification": notification, "site_url": settings.SITE_URL},
        )
    sent = _send_once(
        key=f"notification:{notification.pk}",
        recipient=recipient,
        language=language,
        subject=subject,
        body=body,
        headers={"X-Aftersales-Notification": str(notification.pk)},
    )
    if sent:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent


def account_email_send(*, kind: str, user_id: int, language: str, key: str) -> bool:
    """E-mail an account its own message, once per `key`: the link that proves its address
    (VERIFY_EMAIL: unless proved already), or a password reset link (PASSWORD_RESET: only to
    a proved address). The link is made now, so it is valid from the moment it is sent.
    Returns whether an e-mail went out."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or email_verified(user) != (kind == PASSWORD_RESET):
        return False
    with translation.override(language or language_of(user)):
        if kind == VERIFY_EMAIL:
            subject = _("[After-sales] Confirm your e-mail address")
            link = reverse("verify-email", args=[email_verification_token(user)])
            template = "core/email/verify_email.txt"
        else:
            subject = _("[After-sales] Reset your password")
            link = reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            template = "core/email/password_reset.txt"
        body = render_to_string(template, {"user": user, "link": settings.SITE_URL + link})
    return _send_once(
        key=f"{kind}:{key}",
        recipient=user,
        language=language,
        subject=subject,
        body=body,
        headers={},
    )


def _send_once(*, key: str, recipient, language: str, subject: str, body: str, headers) -> bool:
    """Send an e-mail to `recipient`'s address unless the one of `key` was sent already.

    The delivery's unique key is inserted in the transaction that sends: a concurrent duplicate
    waits on it and then finds it; a failed send rolls it back so that the retry sends. Only a
    crash between the mail server's acceptance and the commit could send twice. Raises
    PermanentError for a message no retry can send (the mail server refused the address), so
    that the outbox keeps it as failed.
    """
    address = header_value(recipient.email)
    with transaction.atomic():
        try:
            with transaction.atomic():
                EmailDelivery.objects.create(
                    key=key,
                    recipient=recipient,
                    address=address,
                    language=language,
                    subject=subject[:200],
                )
        except IntegrityError:
            logger.info("%s was e-mailed already", key)
            return False
        message = EmailMessage(
            subject, body, header_value(settings.DEFAULT_FROM_EMAIL), [address], headers=headers
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            if all(code >= 500 for code, _reply in exc.recipients.values()):  # not "try later"
                raise PermanentError(f"the mail server refused {exc.recipients}") from exc
            raise
        except ValueError as exc:  # an address that is no address
            raise PermanentError(f"the e-mail to {address!r} cannot be written: {exc}") from exc
    return True

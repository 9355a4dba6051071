"""E-mail for notifications: one per (event, recipient), in the recipient's language."""

from __future__ import annotations

import logging
import smtplib
import unicodedata

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.models import EmailDelivery, Notification
from core.outbox import PermanentError
from core.services import language_of

logger = logging.getLogger(__name__)


def header_value(text: str) -> str:
    """`text` as one line fit for a mail header, whatever was typed into it: line breaks of
    every kind (CR, LF, U+2028…) and runs of blanks become one space; other control characters
    go."""
    printable = "".join(c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    return " ".join(printable.split())


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient, unless that was done already.

    The delivery's unique key is inserted in the transaction that sends: a concurrent duplicate
    waits on it and then finds it; a failed send rolls it back so that the retry sends. Only a
    crash between the mail server's acceptance and the commit could send twice. Returns whether
    an e-mail went out; a deleted notification or a recipient without an address sends nothing.
    Raises PermanentError for a message no retry can send (the mail server refused the
    address), so that the outbox keeps it as failed.
    """
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
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
    address = header_value(recipient.email)
    with transaction.atomic():
        try:
            with transaction.atomic():
                EmailDelivery.objects.create(
                    key=f"notification:{notification.pk}",
                    recipient=recipient,
                    address=address,
                    language=language,
                    subject=subject[:200],
                )
        except IntegrityError:
            logger.info("notification %s was e-mailed already", notification.pk)
            return False
        message = EmailMessage(
            subject,
            body,
            header_value(settings.DEFAULT_FROM_EMAIL),
            [address],
            headers={"X-Aftersales-Notification": str(notification.pk)},
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            if all(code >= 500 for code, _reply in exc.recipients.values()):  # not "try later"
                raise PermanentError(f"the mail server refused {exc.recipients}") from exc
            raise
        except ValueError as exc:  # an address that is no address
            raise PermanentError(f"the e-mail to {address!r} cannot be written: {exc}") from exc
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True

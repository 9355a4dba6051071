"""E-mail for notifications: one per (event, recipient), in the recipient's language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.models import EmailDelivery, Notification
from core.services import language_of

logger = logging.getLogger(__name__)


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient, unless that was done already.

    The delivery's unique key is inserted in the transaction that sends: a concurrent duplicate
    waits on it and then finds it; a failed send rolls it back so that the retry sends. Only a
    crash between the mail server's acceptance and the commit could send twice. Returns whether
    an e-mail went out; a deleted notification or a recipient without an address sends nothing.
    """
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return False
    recipient = notification.recipient
    language = language_of(recipient)
    with translation.override(language):
        subject = _("[After-sales] %(summary)s") % {
            "summary": Truncator(notification.text).chars(60)
        }
        body = render_to_string(
            "core/email/notification.txt",
            {"user": recipient, "notification": notification, "site_url": settings.SITE_URL},
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                EmailDelivery.objects.create(
                    key=f"notification:{notification.pk}",
                    recipient=recipient,
                    address=recipient.email,
                    language=language,
                    subject=subject[:200],
                )
        except IntegrityError:
            logger.info("notification %s was e-mailed already", notification.pk)
            return False
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
            headers={"X-Aftersales-Notification": str(notification.pk)},
        ).send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True

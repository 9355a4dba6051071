"""Messages (留言) on a request: the buyer and the shop write to each other, and the platform's
agent once the request is escalated. A message is written once and never changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import DomainError
from core.images import checked_image, deletes_its_files_on_failure, remember_written
from core.notices import notice
from core.rules import get_rules
from core.services import audit_record
from disputes.errors import DisputeErrorCode
from disputes.models import (
    MESSAGE_ACTION,
    MESSAGE_NOTIFICATION,
    Message,
    MessageImage,
    Party,
)
from disputes.policies import may_write_message, message_side
from disputes.services.common import clean_text, lock_refund, resolve_now
from disputes.services.notifications import tell_buyer, tell_merchant


@deletes_its_files_on_failure
def refund_message_write(
    *, refund, actor, text: str = "", images: Sequence = (), now: datetime | None = None
) -> Message:
    """Write a message on the request: its text (at most the rules' text length) and up to
    `max_message_images` photos, checked and stored as evidence is. Audited (the text is the
    entry's note) and notified to the other side, or to both parties when the platform writes.
    Refused for anyone outside the conversation, and once the request is finished."""
    now = resolve_now(now)
    text = clean_text(text, field="text", required=False, label=_("The message"))
    images = list(images)
    if not text and not images:
        raise DomainError(DisputeErrorCode.MESSAGE_EMPTY, field="text")
    limit = get_rules().max_message_images
    if len(images) > limit:
        raise DomainError(DisputeErrorCode.MESSAGE_IMAGE_LIMIT, {"limit": limit}, field="image")
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        may_write_message(refund, actor).enforce()
        party = message_side(refund, actor)
        message = Message.objects.create(
            refund=refund, author=actor, party=party, text=text, created_at=now
        )
        for upload in images:
            image, content_type = checked_image(upload)
            stored = MessageImage.objects.create(
                message=message, image=image, content_type=content_type, size=image.size
            )
            remember_written(stored.image)
        audit_record(target=refund, action=MESSAGE_ACTION, actor=actor, note=text, at=now)
        _tell_the_others(refund, party, now)
    return message


def _tell_the_others(refund, party: str, now: datetime) -> None:
    if party != Party.BUYER:
        words = (
            gettext_noop(
                "The shop wrote to you about your request on “%(goods)s” (order %(order)s): "
                "read it and reply on the request page."
            )
            if party == Party.MERCHANT
            else gettext_noop(
                "The platform wrote to you about your request on “%(goods)s” (order "
                "%(order)s): read it and reply on the request page."
            )
        )
        tell_buyer(refund, MESSAGE_NOTIFICATION, notice(words), at=now)
    if party != Party.MERCHANT:
        words = (
            gettext_noop(
                "The buyer wrote to you about the request on “%(goods)s” (order %(order)s): "
                "read it and reply on the request page."
            )
            if party == Party.BUYER
            else gettext_noop(
                "The platform wrote to you about the request on “%(goods)s” (order "
                "%(order)s): read it and reply on the request page."
            )
        )
        tell_merchant(refund, MESSAGE_NOTIFICATION, notice(words), at=now)

"""Reminders 24 hours (the rule `reminder_before_deadline`) before a deadline, to the party who
must act by then: at most one per deadline, whatever runs and retries happen (a unique row)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, Model, OuterRef
from django.utils.translation import gettext_noop

from core.models import DeadlineReminder
from core.notices import notice
from core.rules import get_rules
from core.services import notify
from disputes.models import Intervention, InterventionState, RefundRequest, RefundState
from disputes.services.notifications import about_refund, buyer_page, merchant_page
from merchants.models import ShopStaff

REFUND_REMINDERS = {
    RefundState.REQUESTED: (
        "merchant",
        gettext_noop(
            "Reminder: answer the after-sales request on “%(goods)s” (order %(order)s) by "
            "%(deadline)s, or it is approved automatically."
        ),
    ),
    RefundState.REJECTED: (
        "buyer",
        gettext_noop(
            "Reminder: edit your request on “%(goods)s” (order %(order)s) or apply for platform "
            "intervention by %(deadline)s, or it closes."
        ),
    ),
    RefundState.OFFERED: (
        "buyer",
        gettext_noop(
            "Reminder: accept or decline the shop's offer on “%(goods)s” (order %(order)s) by "
            "%(deadline)s, or the request closes."
        ),
    ),
    RefundState.AWAITING_RETURN: (
        "buyer",
        gettext_noop(
            "Reminder: send “%(goods)s” (order %(order)s) back and enter the tracking number "
            "by %(deadline)s, or the request closes."
        ),
    ),
    RefundState.RETURN_SHIPPED: (
        "merchant",
        gettext_noop(
            "Reminder: confirm the returned parcel of “%(goods)s” (order %(order)s) by "
            "%(deadline)s, or the refund is paid automatically."
        ),
    ),
}
EVIDENCE_REMINDER = gettext_noop(
    "Reminder: give the platform your evidence on “%(goods)s” (order %(order)s) by "
    "%(deadline)s; after that the case is reviewed without it."
)


def _claim(target: Model, deadline: datetime) -> bool:
    """Take the one reminder of this deadline; False if it was taken already."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                target_type=ContentType.objects.get_for_model(target),
                target_id=target.pk,
                deadline=deadline,
            )
    except IntegrityError:
        return False
    return True


def _not_reminded(model: type[Model], deadline_field: str) -> Exists:
    return ~Exists(
        DeadlineReminder.objects.filter(
            target_type=ContentType.objects.get_for_model(model),
            target_id=OuterRef("pk"),
            deadline=OuterRef(deadline_field),
        )
    )


def _staff_of(shop_id: int) -> list:
    return [s.user for s in ShopStaff.objects.filter(shop_id=shop_id).select_related("user")]


def deadline_reminders_send(*, now: datetime) -> int:
    """Remind whoever must act before each deadline that falls within the reminder lead time
    from `now` and has not been reminded of yet. Returns how many reminders were written."""
    horizon = now + get_rules().reminder_before_deadline
    written = 0
    refunds = (
        RefundRequest.objects.filter(
            state__in=list(REFUND_REMINDERS), deadline__gt=now, deadline__lte=horizon
        )
        .filter(_not_reminded(RefundRequest, "deadline"))
        .select_related("order", "buyer")
        .order_by("deadline", "pk")
    )
    for refund in refunds:
        party, text = REFUND_REMINDERS[refund.state]
        if party == "buyer":
            recipients, link = [refund.buyer], buyer_page(refund)
        else:
            recipients, link = _staff_of(refund.shop_id), merchant_page(refund)
        with transaction.atomic():
            if _claim(refund, refund.deadline):
                notify(
                    recipients=recipients,
                    kind="deadline_reminder",
                    message=about_refund(refund, notice(text, deadline=refund.deadline), link=link),
                    target=refund,
                    at=now,
                )
                written += 1
    cases = (
        Intervention.objects.filter(
            state=InterventionState.AWAITING_EVIDENCE,
            merchant_submitted_at__isnull=True,
            evidence_deadline__gt=now,
            evidence_deadline__lte=horizon,
        )
        .filter(_not_reminded(Intervention, "evidence_deadline"))
        .select_related("refund__order")
        .order_by("evidence_deadline", "pk")
    )
    for case in cases:
        with transaction.atomic():
            if _claim(case, case.evidence_deadline):
                notify(
                    recipients=_staff_of(case.shop_id),
                    kind="deadline_reminder",
                    message=about_refund(
                        case.refund,
                        notice(EVIDENCE_REMINDER, deadline=case.evidence_deadline),
                        link=merchant_page(case.refund),
                    ),
                    target=case,
                    at=now,
                )
                written += 1
    return written

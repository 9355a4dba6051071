"""The notices the parties of a refund receive, written in the action's transaction."""

from __future__ import annotations

from datetime import datetime

from core.notices import Notice
from core.services import notify
from disputes.models import RefundRequest


def merchant_users(shop_id: int):
    from merchants.models import ShopStaff

    return [m.user for m in ShopStaff.objects.filter(shop_id=shop_id).select_related("user")]


def tell_buyer(refund: RefundRequest, kind: str, message: Notice, *, at: datetime) -> None:
    notify(recipients=[refund.buyer], kind=kind, message=message, target=refund, at=at)


def tell_merchant(refund: RefundRequest, kind: str, message: Notice, *, at: datetime) -> None:
    notify(
        recipients=merchant_users(refund.shop_id), kind=kind, message=message, target=refund, at=at
    )

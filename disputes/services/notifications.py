"""The notices the parties of a refund receive, written in the action's transaction.

Every one names the goods and the order (`%(goods)s`, `%(order)s` in its text, orders.notices),
shows the goods' picture, and links to the reader's own page: the buyer's 售后详情 (or the order,
to file again), the shop's request page in the seller center."""

from __future__ import annotations

from datetime import datetime

from core.notices import Notice, Page
from core.services import notify
from disputes.models import RefundRequest
from orders.notices import about_order


def merchant_users(shop_id: int):
    from merchants.models import ShopStaff

    return [m.user for m in ShopStaff.objects.filter(shop_id=shop_id).select_related("user")]


def buyer_page(refund: RefundRequest) -> Page:
    return Page("refund-detail", (refund.pk,))


def order_page(refund: RefundRequest) -> Page:
    """Where a buyer files a new request once one has closed."""
    return Page("order-detail", (refund.order_id,))


def merchant_page(refund: RefundRequest) -> Page:
    return Page("seller-refund", (refund.pk,))


def about_refund(refund: RefundRequest, message: Notice, *, link: Page) -> Notice:
    return about_order(refund.order, message, link=link)


def tell_buyer(
    refund: RefundRequest, kind: str, message: Notice, *, at: datetime, link: Page | None = None
) -> None:
    """Tell the buyer, linking to their request page unless `link` names another."""
    notify(
        recipients=[refund.buyer],
        kind=kind,
        message=about_refund(refund, message, link=link or buyer_page(refund)),
        target=refund,
        at=at,
    )


def tell_merchant(refund: RefundRequest, kind: str, message: Notice, *, at: datetime) -> None:
    notify(
        recipients=merchant_users(refund.shop_id),
        kind=kind,
        message=about_refund(refund, message, link=merchant_page(refund)),
        target=refund,
        at=at,
    )

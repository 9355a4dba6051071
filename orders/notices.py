"""What every notice about an order says besides its own words: the goods (`%(goods)s`), the
order's number (`%(order)s`), the goods' picture and the page where the reader acts."""

from __future__ import annotations

from core.notices import Notice, Page, notice
from orders.models import Order
from orders.selectors import order_goods


def about_order(order: Order, message: Notice, *, link: Page) -> Notice:
    """`message` with the goods, the order, the picture and `link` added (one query, none
    for an order fetched with `orders.selectors.goods_prefetch`)."""
    goods = order_goods(order)
    extra = {"goods": goods.title, "order": goods.order, "link": link}
    if goods.picture is not None:
        extra["picture"] = goods.picture
    return Notice(message.msgid, {**notice("", **extra).params, **message.params})

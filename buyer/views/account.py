"""个人中心: who you are, your orders by state, and your after-sales requests in progress; for
shop staff, first what the shop has to do (a merchant who never bought sees no buyer counters)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.accounts import email_verified
from disputes.selectors import buyer_open_refunds
from merchants.selectors import shop_of
from orders.selectors import buyer_order_counts
from seller.selectors import shop_counts


@login_required
def personal_center(request):
    shop = shop_of(request.user)
    counts = buyer_order_counts(request.user)
    open_refunds = list(buyer_open_refunds(request.user)[:20])
    return render(
        request,
        "buyer/personal_center.html",
        {
            "counts": counts,
            "open_refunds": open_refunds,
            "shop": shop,
            "shop_counts": shop and shop_counts(shop_id=shop.pk, now=timezone.now()),
            "shows_buying": not shop or any(counts.values()) or bool(open_refunds),
            # An address not proved yet: its link can be sent again.
            "email_to_confirm": (
                request.user.email
                if request.user.email and not email_verified(request.user)
                else ""
            ),
        },
    )

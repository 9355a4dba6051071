"""个人中心: who you are, your orders by state, and your after-sales requests in progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.accounts import email_verified
from disputes.selectors import buyer_open_refunds
from merchants.selectors import shop_of
from orders.selectors import buyer_order_counts


@login_required
def personal_center(request):
    return render(
        request,
        "buyer/personal_center.html",
        {
            "counts": buyer_order_counts(request.user),
            "open_refunds": list(buyer_open_refunds(request.user)[:20]),
            "shop": shop_of(request.user),
            # An address not proved yet: its link can be sent again.
            "email_to_confirm": (
                request.user.email
                if request.user.email and not email_verified(request.user)
                else ""
            ),
        },
    )

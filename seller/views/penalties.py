"""The shop's penalty dashboard (违规扣分), and the appeal of a ruling against the shop (申诉)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import form_page, form_status
from disputes import services as disputes_services
from disputes.policies import may_appeal
from disputes.selectors import refund_response_stats
from penalties.selectors import merchant_dashboard
from penalties.services import (
    BELOW_STANDARD_MIN_LOST,
    RANKING_ZERO_RATE,
    RECENT,
    STANDARD_RATE,
)
from seller.charts import points_chart
from seller.forms import AppealForm
from seller.selectors import penalty_cases, shop_rulings
from seller.views.common import staff_shop


@login_required
def dashboard(request):
    shop = staff_shop(request)
    now = timezone.now()
    board = merchant_dashboard(
        shop=shop, refund_responses=refund_response_stats(shop_id=shop.pk), now=now
    )
    chart = points_chart(
        period=board.period, points_by_month=board.points_by_month, threshold=board.threshold
    )
    return render(
        request,
        "seller/dashboard.html",
        {
            "shop": shop,
            "board": board,
            "cases": penalty_cases(board.records, request.user, now=now),
            "chart": chart,
            "gauge_percent": min(100, round(100 * board.points / board.threshold)),
            # What the page says the level and the ranking score are made of.
            "recent_days": RECENT.days,
            "ranking_zero_rate": RANKING_ZERO_RATE,
            "standard_rate": STANDARD_RATE,
            "below_standard_min_lost": BELOW_STANDARD_MIN_LOST,
            "section": "dashboard",
        },
    )


@login_required
def ruling_appeal(request, pk: int):
    """Appeal a ruling against the shop, once, within its window (申诉)."""
    shop = staff_shop(request)
    ruling = get_object_or_404(shop_rulings(shop_id=shop.pk), pk=pk)
    verdict = may_appeal(ruling, request.user)
    form = AppealForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        action=lambda data: disputes_services.ruling_appeal(
            ruling=ruling, actor=request.user, statement=data["statement"], images=data["images"]
        ),
        success=_("Your appeal was sent. A platform supervisor will decide it."),
        to=lambda _appeal: reverse("penalty-dashboard"),
        page=lambda: render(
            request,
            "seller/appeal.html",
            {
                "shop": shop,
                "ruling": ruling,
                "verdict": verdict,
                "form": form,
                "section": "dashboard",
            },
            status=form_status(request, form),
        ),
    )

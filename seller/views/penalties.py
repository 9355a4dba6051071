"""The shop's penalty dashboard (违规扣分), and the appeal of a ruling against the shop (申诉)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import form_page, form_status
from core.templatetags.pages import deadline, money, pk_url
from disputes import services as disputes_services
from disputes.policies import may_appeal
from disputes.selectors import refund_response_stats
from penalties.selectors import merchant_dashboard
from seller.charts import chart_markup, points_chart
from seller.forms import AppealForm
from seller.selectors import PenaltyCase, penalty_cases, shop_rulings
from seller.views.common import staff_shop


def _local_stamp(when) -> dict:
    local = timezone.localtime(when)
    return {"iso": local.isoformat(), "day": f"{local:%Y-%m-%d}"}


# Every row has every key the template asks for: a missing one costs the template a failed
# lookup on each row.
_NO_APPEAL = {"appeal_url": None, "appeal_deadline": None, "appeal_state": None}


def _case_row(case: PenaltyCase) -> dict:
    """One case of the records list in words, ready to print."""
    if case.ruling is None:  # a supervisor's adjustment
        record = case.records[0]
        return {
            **_NO_APPEAL,
            "ruling": False,
            "counts": case.counts,
            "points": f"−{case.points}" if case.points > 0 else f"+{abs(case.points)}",
            "when": _local_stamp(record.created_at),
            "note": case.note,
        }
    ruling = case.ruling
    summary = [ruling.get_outcome_display()]
    if ruling.refund_amount:
        summary.append(money(ruling.refund_amount))
    summary.append(", ".join(f"{r.get_kind_display()} {r.points}" for r in case.records))
    row = {
        **_NO_APPEAL,
        "ruling": True,
        "counts": case.counts,
        "points": f"−{case.points}",
        "when": _local_stamp(ruling.created_at),
        "url": pk_url(ruling.intervention.refund_id, "seller-refund"),
        "number": case.records[0].order_number,
        "summary": " · ".join(summary),
        "rationale": ruling.rationale,
    }
    if case.may_appeal.allowed:
        row["appeal_url"] = pk_url(ruling.pk, "seller-ruling-appeal")
        row["appeal_deadline"] = deadline(ruling.appeal_deadline)
    elif case.appeal:
        row["appeal_state"] = (
            case.appeal.get_decision_display() if case.appeal.decision else _("Appeal under review")
        )
    return row


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
            "cases": [
                _case_row(case) for case in penalty_cases(board.records, request.user, now=now)
            ],
            "chart": chart,
            "chart_markup": chart_markup(chart),
            "gauge_percent": min(100, round(100 * board.points / board.threshold)),
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

"""The merchant's penalty dashboard (违规扣分) and the public rules page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.labels import label
from core.templatetags.pages import deadline, money, pk_url
from disputes.seller_center import PenaltyCase, penalty_cases, refund_response_stats
from merchants.views import staff_shop
from penalties.charts import chart_markup, points_chart
from penalties.diagrams import ACTOR_WORDS, LANGUAGES, MACHINES, diagram_static_name, machine_edges
from penalties.rules_table import rules_table
from penalties.selectors import merchant_dashboard


def _local_stamp(when) -> dict:
    local = timezone.localtime(when)
    return {"iso": local.isoformat(), "day": f"{local:%Y-%m-%d}"}


# Every row has every key the template asks for: a missing one costs the template a failed
# lookup on each row.
_NO_APPEAL = {"appeal_url": None, "appeal_deadline": None, "appeal_state": None}


def _case_row(case: PenaltyCase) -> dict:
    """One case of the records list in words, ready to print: a big shop's list is long, and
    the same filters and tags applied in the template cost several times as much."""
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
    summary = [str(label("ruling_outcome", ruling.outcome))]
    if ruling.refund_amount:
        summary.append(money(ruling.refund_amount))
    summary.append(", ".join(f"{label('penalty_kind', r.kind)} {r.points}" for r in case.records))
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
            label("appeal_decision", case.appeal.decision)
            if case.appeal.decision
            else _("Appeal under review")
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
        "penalties/dashboard.html",
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


def rules(request):
    """Every platform rule with its value in force, and the state diagrams of the code."""
    language = get_language() if get_language() in LANGUAGES else LANGUAGES[0]
    return render(
        request,
        "penalties/rules.html",
        {
            "groups": rules_table(),
            "machines": [
                {
                    "machine": machine,
                    "image": diagram_static_name(machine, language),
                    "edges": [
                        {
                            "source": machine.states[e.source],
                            "action": machine.actions[e.action],
                            "target": machine.states[e.target],
                            "actor_words": ACTOR_WORDS[e.actor],
                        }
                        for e in machine_edges(machine)
                    ],
                }
                for machine in MACHINES
            ],
        },
    )

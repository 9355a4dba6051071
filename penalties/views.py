"""The merchant's penalty dashboard (违规扣分) and the public rules page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from disputes.seller_center import penalty_cases, refund_response_stats
from merchants.views import staff_shop
from penalties.charts import points_chart
from penalties.diagrams import ACTOR_WORDS, LANGUAGES, MACHINES, diagram_static_name, machine_edges
from penalties.rules_table import rules_table
from penalties.selectors import merchant_dashboard


@login_required
def dashboard(request):
    shop = staff_shop(request)
    now = timezone.now()
    board = merchant_dashboard(
        shop=shop, refund_responses=refund_response_stats(shop_id=shop.pk), now=now
    )
    return render(
        request,
        "penalties/dashboard.html",
        {
            "shop": shop,
            "board": board,
            "cases": penalty_cases(board.records, request.user, now=now),
            "chart": points_chart(
                period=board.period,
                points_by_month=board.points_by_month,
                threshold=board.threshold,
            ),
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

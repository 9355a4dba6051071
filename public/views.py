"""What anyone may read, signed in or not: a shop's public page and the platform rules page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from core.vocabulary import action_words
from merchants.models import Shop
from merchants.selectors import catalogue
from public.diagrams import (
    ACTOR_WORDS,
    LANGUAGES,
    MACHINES,
    diagram_template_name,
    machine_edges,
    state_anchor,
)
from public.rules_table import rules_table


def shop_detail(request, pk: int):
    """The public shop page: its credit, and the public warning while it is restricted."""
    shop = get_object_or_404(Shop, pk=pk)
    now = timezone.now()
    return render(
        request,
        "public/shop.html",
        {
            "shop": shop,
            "restricted": shop.is_restricted(now),
            "products": catalogue(now).filter(shop=shop)[:60],
        },
    )


def rules(request):
    """Every platform rule with its value in force, and the state diagrams of the code."""
    language = get_language() if get_language() in LANGUAGES else LANGUAGES[0]
    return render(
        request,
        "public/rules.html",
        {
            "groups": rules_table(),
            "machines": [
                {
                    "machine": machine,
                    "diagram": diagram_template_name(machine, language),
                    "edges": _moves(machine),
                }
                for machine in MACHINES
            ],
        },
    )


def _moves(machine) -> list[dict]:
    """The moves table's rows. A diagram's box links to the first row of the moves from its
    state (a final state: the first row into it), which carries the state's anchor."""
    edges = machine_edges(machine)
    first_row = {}
    for n, edge in enumerate(edges):
        first_row.setdefault(edge.source, n)
    for n, edge in enumerate(edges):
        first_row.setdefault(edge.target, n)
    anchors = {}
    for state, n in first_row.items():
        anchors.setdefault(n, []).append(state_anchor(machine, state))
    return [
        {
            "source": machine.states[e.source],
            "action": action_words(e.action),
            "target": machine.states[e.target],
            "actor_words": ACTOR_WORDS[e.actor],
            "anchors": anchors.get(n, []),
        }
        for n, e in enumerate(edges)
    ]

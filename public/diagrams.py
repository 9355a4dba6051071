"""The order, refund and intervention state diagrams of the rules page, read from the models'
own django-fsm-2 transitions, each edge in the words its transition declares (core.vocabulary).

`machine_edges` walks the transitions the models declare; `machine_dot` turns them into
Graphviz source with the words of the page's language; `manage.py draw_state_diagrams` runs
Graphviz once per machine and language and commits the SVGs to the static files, so neither the
web process nor the test suite needs Graphviz. `tests/public/test_state_diagrams.py`
reads each committed SVG back and fails when one no longer shows exactly the transitions of the
code (or the words of the catalogue): then run the command again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_fsm import GET_STATE, RETURN_VALUE

from core.vocabulary import action_words
from disputes.models import Intervention, InterventionState, RefundRequest, RefundState
from orders.models import Order, OrderState

DIAGRAM_DIR = Path(__file__).resolve().parent / "static" / "public" / "diagrams"
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Machine:
    name: str
    model: type[models.Model]
    title: object
    states: dict[str, object]  # state value -> its choice label


# Who moves the machine, derived from each transition's `permission=` function.
BUYER, MERCHANT, PLATFORM, SYSTEM = "buyer", "merchant", "platform", "system"
ACTOR_OF_PERMISSION = {
    "is_buyer": BUYER,
    "is_refund_buyer": BUYER,
    "is_merchant": MERCHANT,
    "is_refund_merchant": MERCHANT,
    "is_intervention_merchant": MERCHANT,
    "is_platform_agent": PLATFORM,
    "is_platform_supervisor": PLATFORM,
    "system_only": SYSTEM,
}
ACTOR_WORDS = {
    BUYER: _("Buyer"),
    MERCHANT: _("Shop"),
    PLATFORM: _("Platform"),
    SYSTEM: _("Automatic, when the deadline passes"),
}
ACTOR_STYLE = {
    BUYER: 'color="#1d4ed8" fontcolor="#1d4ed8"',
    MERCHANT: 'color="#c2410c" fontcolor="#c2410c"',
    PLATFORM: 'color="#7e22ce" fontcolor="#7e22ce"',
    SYSTEM: 'color="#52525b" fontcolor="#52525b" style="dashed"',
}

MACHINES = (
    Machine(
        name="order",
        model=Order,
        title=_("Order"),
        states=dict(OrderState.choices),
    ),
    Machine(
        name="refund",
        model=RefundRequest,
        title=_("After-sales request"),
        states=dict(RefundState.choices),
    ),
    Machine(
        name="intervention",
        model=Intervention,
        title=_("Platform intervention"),
        states=dict(InterventionState.choices),
    ),
)


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    target: str
    action: str
    actor: str


def machine_edges(machine: Machine) -> list[Edge]:
    """Every (source, target, action) the model's state field allows, with who moves it."""
    field = machine.model._meta.get_field("state")
    edges = set()
    for transition in field.get_all_transitions(machine.model):
        if isinstance(transition.target, GET_STATE | RETURN_VALUE):
            targets = transition.target.allowed_states
        else:
            targets = [transition.target]
        permission = transition.permission.__name__ if transition.permission else ""
        if permission not in ACTOR_OF_PERMISSION:
            raise LookupError(
                f"{machine.model.__name__}.{transition.name}: who moves it? Add its permission "
                f"{permission!r} to public.diagrams.ACTOR_OF_PERMISSION."
            )
        for target in targets:
            for state in (transition.source, target):
                if state not in machine.states:
                    raise LookupError(f"{machine.name}: no words for the state {state!r}.")
            edges.add(
                Edge(
                    source=str(transition.source),
                    target=str(target),
                    action=transition.name,
                    actor=ACTOR_OF_PERMISSION[permission],
                )
            )
    return sorted(edges)


def edge_id(machine: Machine, edge: Edge) -> str:
    return f"{machine.name}.{edge.action}.{edge.source}.{edge.target}"


def _quoted(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def machine_dot(machine: Machine, language: str) -> str:
    """Graphviz source of one machine in one language."""
    edges = machine_edges(machine)
    used = {e.source for e in edges} | {e.target for e in edges}
    finals = used - {e.source for e in edges}
    with override(language):
        lines = [
            f"digraph {machine.name} {{",
            '  graph [rankdir=TB nodesep=0.35 ranksep=0.45 bgcolor="transparent" '
            'fontname="Noto Sans CJK SC"];',
            '  node [shape=box style="rounded,filled" fillcolor="#ffffff" color="#a1a1aa" '
            'fontname="Noto Sans CJK SC" fontsize=13 margin="0.18,0.08"];',
            '  edge [fontname="Noto Sans CJK SC" fontsize=11 arrowsize=0.7];',
        ]
        for state in machine.states:
            if state not in used:
                continue
            extra = ' fillcolor="#f4f4f5" peripheries=2' if state in finals else ""
            lines.append(
                f"  {_quoted(state)} [id={_quoted(machine.name + '.' + state)} "
                f"label={_quoted(machine.states[state])}{extra}];"
            )
        for edge in edges:
            lines.append(
                f"  {_quoted(edge.source)} -> {_quoted(edge.target)} "
                f"[id={_quoted(edge_id(machine, edge))} "
                f"label={_quoted(action_words(edge.action))} {ACTOR_STYLE[edge.actor]}];"
            )
        lines.append("}")
    return "\n".join(lines) + "\n"


def diagram_path(machine: Machine, language: str) -> Path:
    return DIAGRAM_DIR / f"{machine.name}.{language}.svg"


def diagram_static_name(machine: Machine, language: str) -> str:
    return f"public/diagrams/{machine.name}.{language}.svg"

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

S, R, I = OrderState, RefundState, InterventionState  # noqa: E741 (the models' own initials)

# Templates, not static files: the rules page includes each SVG in its markup, so that the boxes
# are links a keyboard reaches (an <img> shows them only as a picture).
TEMPLATE_NAME = "public/diagrams/{machine}.{language}.svg"
DIAGRAM_DIR = Path(__file__).resolve().parents[1] / "templates" / "jinja2" / "public" / "diagrams"
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Machine:
    name: str
    model: type[models.Model]
    title: object
    states: dict[str, object]  # state value -> its choice label
    # The states of the story that goes well, in order: drawn as one straight line from left
    # to right, every other state placed around it (machine_dot).
    happy_path: tuple[str, ...] = ()


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
        happy_path=(S.PENDING_PAYMENT, S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED),
    ),
    Machine(
        name="refund",
        model=RefundRequest,
        title=_("After-sales request"),
        states=dict(RefundState.choices),
        happy_path=(R.REQUESTED, R.AWAITING_RETURN, R.RETURN_SHIPPED, R.REFUNDED),
    ),
    Machine(
        name="intervention",
        model=Intervention,
        title=_("Platform intervention"),
        states=dict(InterventionState.choices),
        happy_path=(I.AWAITING_EVIDENCE, I.UNDER_REVIEW, I.RULED),
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


def state_anchor(machine: Machine, state: str) -> str:
    """The id of the moves table's row a state's box links to (public/rules.html)."""
    return f"{machine.name}-{state}"


def machine_dot(machine: Machine, language: str) -> str:
    """Graphviz source of one machine in one language, laid out from left to right along the
    machine's happy path: its states share one row (`group`, and an invisible spine that pulls
    hardest keeps them straight beside parallel moves) and its moves are drawn bold; a move
    back along the path (a revision, a re-opening) does not push its target further right
    (`constraint=false`). Each box links to the table of the moves from its state, so that the
    boxes can be reached by keyboard."""
    edges = machine_edges(machine)
    used = {e.source for e in edges} | {e.target for e in edges}
    finals = used - {e.source for e in edges}
    step = {state: n for n, state in enumerate(machine.happy_path)}
    with override(language):
        lines = [
            f"digraph {_quoted(machine.title)} {{",
            f"  graph [id={_quoted(machine.name + '-graph')} rankdir=LR nodesep=0.3 "
            'ranksep=0.55 bgcolor="transparent" fontname="Noto Sans CJK SC"];',
            '  node [shape=box style="rounded,filled" fillcolor="#ffffff" color="#a1a1aa" '
            'fontname="Noto Sans CJK SC" fontsize=13 margin="0.18,0.08"];',
            '  edge [fontname="Noto Sans CJK SC" fontsize=11 arrowsize=0.7];',
        ]
        for state in machine.states:
            if state not in used:
                continue
            label = machine.states[state]
            extra = ' fillcolor="#f4f4f5" peripheries=2' if state in finals else ""
            if state in step:
                extra += ' group="happy" penwidth=2 color="#52525b"'
            lines.append(
                f"  {_quoted(state)} [id={_quoted(machine.name + '.' + state)} "
                f"label={_quoted(label)} tooltip={_quoted(label)} "
                f"href={_quoted('#' + state_anchor(machine, state))}{extra}];"
            )
        for edge in edges:
            layout = ""
            if edge.source in step and edge.target in step:
                if step[edge.target] == step[edge.source] + 1:
                    layout = " penwidth=2"
                elif step[edge.target] < step[edge.source]:
                    layout = " constraint=false"
            lines.append(
                f"  {_quoted(edge.source)} -> {_quoted(edge.target)} "
                f"[id={_quoted(edge_id(machine, edge))} "
                f"label={_quoted(action_words(edge.action))} {ACTOR_STYLE[edge.actor]}"
                f"{layout}];"
            )
        if len(machine.happy_path) > 1:
            # The spine: an invisible chain that pulls hardest, so that the happy path stays
            # straight whatever moves run beside it (Graphviz draws nothing for it).
            spine = " -> ".join(_quoted(state) for state in machine.happy_path)
            lines.append(f"  {spine} [style=invis weight=100];")
        lines.append("}")
    return "\n".join(lines) + "\n"


def diagram_path(machine: Machine, language: str) -> Path:
    return DIAGRAM_DIR.parent.parent / diagram_template_name(machine, language)


def diagram_template_name(machine: Machine, language: str) -> str:
    return TEMPLATE_NAME.format(machine=machine.name, language=language)

"""The rules page's state diagrams are the models' own transitions: each committed SVG shows
exactly the transitions the code declares, with the words of its language. When a transition
or a word changes, these fail until `manage.py draw_state_diagrams` is run again."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.translation import override
from django_fsm import Transition

from core.vocabulary import action_words
from disputes.models import RefundRequest, RefundState, is_refund_buyer
from public.diagrams import (
    LANGUAGES,
    MACHINES,
    diagram_path,
    edge_id,
    machine_edges,
)

SVG = "{http://www.w3.org/2000/svg}"
CASES = [(m, lang) for m in MACHINES for lang in LANGUAGES]
IDS = [f"{m.name}-{lang}" for m, lang in CASES]


def drawn(machine, language):
    """What the committed SVG shows: {edge id: (source -> target, label)} and
    {state: label}."""
    root = ET.parse(diagram_path(machine, language)).getroot()
    edges, nodes = {}, {}
    for group in root.iter(f"{SVG}g"):
        kind, drawn_id = group.get("class"), group.get("id")
        if kind not in ("edge", "node"):
            continue
        label = next(group.iter(f"{SVG}text")).text  # a box's text is inside its link
        if kind == "edge":  # its id: machine.action.source.target (edge_id)
            _machine, _action, source, target = drawn_id.split(".")
            edges[drawn_id] = (f"{source} -> {target}", label)
        else:  # its id: machine.state
            nodes[drawn_id.split(".", 1)[1]] = label
    return edges, nodes


def expected(machine, language):
    """What the code declares now, in the words of `language`."""
    edges = machine_edges(machine)
    with override(language):
        return (
            {
                edge_id(machine, e): (
                    f"{e.source} -> {e.target}",
                    str(action_words(e.action)),
                )
                for e in edges
            },
            {
                state: str(machine.states[state])
                for state in {e.source for e in edges} | {e.target for e in edges}
            },
        )


def mismatches(machine, language) -> list[str]:
    drawn_edges, drawn_nodes = drawn(machine, language)
    want_edges, want_nodes = expected(machine, language)
    problems = [f"not drawn: {k} {v}" for k, v in want_edges.items() if drawn_edges.get(k) != v]
    problems += [f"drawn but not in the code: {k}" for k in drawn_edges.keys() - want_edges]
    problems += [
        f"state {k}: drawn {drawn_nodes.get(k)!r}, want {v!r}"
        for k, v in want_nodes.items()
        if drawn_nodes.get(k) != v
    ]
    problems += [f"state drawn but not in the code: {k}" for k in drawn_nodes.keys() - want_nodes]
    return problems


@pytest.mark.parametrize(("machine", "language"), CASES, ids=IDS)
def test_each_diagram_shows_exactly_the_transitions_the_model_declares(machine, language):
    assert mismatches(machine, language) == [], (
        "The diagram no longer matches the code: run `manage.py draw_state_diagrams`."
    )


def test_the_refund_diagram_has_every_transition_of_spec_section_4():
    refund = next(m for m in MACHINES if m.name == "refund")
    pairs = {(e.action, e.source, e.target) for e in machine_edges(refund)}

    assert ("reject", "requested", "rejected") in pairs
    assert ("reject", "return_shipped", "rejected") in pairs
    assert ("escalate", "rejected", "in_intervention") in pairs
    assert {
        ("rule", "in_intervention", t) for t in ("refunded", "awaiting_return", "closed")
    } <= pairs
    assert ("approve", "requested", "awaiting_return") in pairs
    assert ("approve", "requested", "refunded") in pairs
    assert not any(source == "requested" and action == "escalate" for action, source, _ in pairs)


def test_a_transition_added_to_a_model_makes_the_diagram_check_fail(monkeypatch):
    refund = next(m for m in MACHINES if m.name == "refund")
    field = RefundRequest._meta.get_field("state")
    declared = list(field.get_all_transitions(RefundRequest))
    reopen = Transition(
        method=RefundRequest.cancel,  # any method: the diagram reads its name
        source=RefundState.CLOSED,
        target=RefundState.REQUESTED,
        on_error=None,
        conditions=[],
        permission=is_refund_buyer,
        custom={},
    )
    monkeypatch.setattr(
        type(field), "get_all_transitions", lambda self, cls: iter([*declared, reopen])
    )

    assert "not drawn: refund.cancel.closed.requested" in " ".join(mismatches(refund, "en"))


def _box_centres(machine, language) -> dict[str, tuple[float, float]]:
    """Each state's box centre in the committed SVG, from the points of its outline."""
    root = ET.parse(diagram_path(machine, language)).getroot()
    centres = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            numbers = [
                float(n)
                for n in re.findall(r"-?\d+(?:\.\d+)?", group.find(f".//{SVG}path").get("d"))
            ]
            xs, ys = numbers[0::2], numbers[1::2]
            centres[group.get("id").split(".", 1)[1]] = (
                (min(xs) + max(xs)) / 2,
                (min(ys) + max(ys)) / 2,
            )
    return centres


@pytest.mark.parametrize(("machine", "language"), CASES, ids=IDS)
def test_each_diagram_draws_its_happy_path_as_one_line_from_left_to_right(machine, language):
    centres = _box_centres(machine, language)
    path = [centres[state] for state in machine.happy_path]

    assert len(path) >= 3
    assert [x for x, _ in path] == sorted({x for x, _ in path})  # each step further right
    # on one row: two moves side by side (a button and its automatic twin) may shift a box by
    # less than half its height (36 pt)
    assert max(y for _, y in path) - min(y for _, y in path) < 18


@pytest.mark.parametrize(("machine", "language"), CASES, ids=IDS)
def test_each_box_links_to_the_moves_of_its_state(machine, language):
    root = ET.parse(diagram_path(machine, language)).getroot()
    links = {a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")}
    _, states = expected(machine, language)

    assert links == {f"#{machine.name}-{state}" for state in states}

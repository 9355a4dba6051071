"""The words of what happens — every audited action and every kind of notification — each
declared once, next to what does it.

A transition carries its words on its decorator, `@transition(..., custom={"label": _("The shop
approved")})`; an action a service audits outside a transition (an order placed, a request
filed) is declared with `declare_actions(...)`, and the headline of each kind of notification
with `declare_notification_kinds(...)`, in the models module of the app that audits or notifies.
`AuditEntry.action` and `Notification.kind` take their choices from here (callables, so a new
action needs no migration): timelines, notification lists, the admin's filters and columns and
the state diagrams read the same words, and adding an action touches no list in core.

A transition that can lead to more than one state may word one of them apart:
`custom={"label": _("The shop approved"), "label_into": {"awaiting_return": _("The shop
approved the return")}}`; an audit entry reads the words of the state it led to
(`action_words(name, to_state)`, `AuditEntry.get_action_display`).

A transition with `custom={"shows_note": True}` shows its audit note (what a party typed: a
reason, a statement, a tracking number) on timelines; other notes are the system's bookkeeping.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core import checks
from django.utils.functional import Promise
from django.utils.translation import override
from django_fsm import FSMFieldMixin

_actions: dict[str, Promise] = {}
_Vocabulary = tuple[dict[str, Promise], dict[tuple[str, str], Promise], frozenset[str]]
_notification_kinds: dict[str, Promise] = {}


def declare_actions(**words: Promise) -> None:
    """Words for actions audited outside a transition, by action name:
    `declare_actions(place=_("Order placed"))`."""
    _actions.update(words)


def declare_notification_kinds(**headlines: Promise) -> None:
    """The headline of each kind of notification an app sends, by kind:
    `declare_notification_kinds(refund_filed=_("New after-sales request"))`."""
    _notification_kinds.update(headlines)


def _msgid(words: Promise) -> str:
    with override(None):
        return str(words)


def _collect() -> tuple[_Vocabulary, list[str]]:
    """Every action's words, its words into particular states, the actions whose notes are
    shown, and what is wrong."""
    words: dict[str, Promise] = {}
    into: dict[tuple[str, str], Promise] = {}
    shown: set[str] = set()
    problems: list[str] = []

    def add(name: str, label: Promise, where: str) -> None:
        if name in words and _msgid(words[name]) != _msgid(label):
            problems.append(
                f"{where}: the action {name!r} is named {_msgid(label)!r} here and "
                f"{_msgid(words[name])!r} elsewhere; one name, one set of words."
            )
        words.setdefault(name, label)

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, FSMFieldMixin):
                continue
            for transition in field.get_all_transitions(model):
                where = f"{model.__name__}.{transition.name}"
                label = transition.custom.get("label")
                if label is None:
                    problems.append(
                        f'{where} has no words: give it custom={{"label": _("…")}}, as a '
                        "timeline says it happened."
                    )
                    continue
                add(transition.name, label, where)
                for state, words_into in transition.custom.get("label_into", {}).items():
                    into[transition.name, state] = words_into
                if transition.custom.get("shows_note"):
                    shown.add(transition.name)
    for name, label in _actions.items():
        add(name, label, f"declare_actions({name}=…)")
    return (words, into, frozenset(shown)), problems


@cache
def _vocabulary() -> _Vocabulary:
    vocabulary, problems = _collect()
    if problems:
        raise LookupError("; ".join(problems))
    return vocabulary


def action_choices() -> list[tuple[str, Promise]]:
    """AuditEntry.action's choices."""
    return sorted(_vocabulary()[0].items())


def action_words(name: str, to_state: str = "") -> Promise:
    """The words of the action `name`; of the action into `to_state` when its transition
    words that state apart (`label_into`)."""
    words, into, _shown = _vocabulary()
    return into.get((name, to_state)) or words[name]


def check_action(name: str) -> None:
    """Refuse to audit an action nobody gave words (a timeline would show its code)."""
    if name not in _vocabulary()[0]:
        raise LookupError(
            f'Action {name!r} has no words: give its transition custom={{"label": _("…")}}, '
            "or declare it with core.vocabulary.declare_actions in its app's models module."
        )


def note_shown(action: str) -> bool:
    return action in _vocabulary()[2]


def notification_choices() -> list[tuple[str, Promise]]:
    """Notification.kind's choices."""
    return sorted(_notification_kinds.items())


def check_notification_kind(kind: str) -> None:
    """Refuse to notify with a kind nobody declared (it would read as its code)."""
    if kind not in _notification_kinds:
        raise LookupError(
            f"Notification kind {kind!r} has no headline: declare it with "
            "core.vocabulary.declare_notification_kinds in the models module of its app."
        )


@checks.register
def check_action_words(app_configs=None, **kwargs) -> list[checks.Error]:
    """Every transition and every audited action has its words (run by `manage.py check`
    and by tests/test_vocabulary.py)."""
    return [checks.Error(problem, id="core.E001") for problem in _collect()[1]]

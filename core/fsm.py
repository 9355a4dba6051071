"""Running django-fsm-2 transitions the same way everywhere.

Models declare the graph, the guards (conditions, each declaring its refusal with `@refusal`),
who may act (`permission=`) and the fields each transition writes
(`custom={"update_fields": [...]}`). Services lock the row and call `apply_transition`, which
refuses with the domain error, transitions, saves those fields and writes the audit entry.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from core.errors import CoreErrorCode, DomainError, ErrorCode
from core.notices import Notice
from core.services import audit_record, save_fields

SYSTEM = None  # the actor of automatic transitions


def refusal(code: ErrorCode):
    """Declare the refusal a transition's condition raises when it does not hold:

    @refusal(DisputeErrorCode.NO_REVISIONS_LEFT)
    def has_revisions_left(refund): ...
    """

    def declare(condition):
        condition.refusal = code
        return condition

    return declare


def state_label(obj: models.Model, field: str = "state"):
    """The words for `obj`'s current state: its field's choice label (lazy, so a refusal
    naming it reads in the reader's language)."""
    value = getattr(obj, field)
    return dict(obj._meta.get_field(field).flatchoices).get(value, value)


def _transition_meta(obj: models.Model, name: str):
    return getattr(obj, name)._django_fsm


def check_transition(obj: models.Model, name: str, *, actor=SYSTEM, field: str = "state") -> None:
    """Raise the domain error that says why `name` cannot run now, or return.

    The role comes first: an actor who may never do this (in any state) is refused as such,
    then the state, then the guards.
    """
    meta = _transition_meta(obj, name)
    state = getattr(obj, field)
    if actor is not SYSTEM and not any(t.has_perm(obj, actor) for t in meta.transitions.values()):
        raise DomainError(CoreErrorCode.PERMISSION_DENIED)
    transition = meta.get_transition(state)
    if transition is None:
        raise DomainError(
            CoreErrorCode.TRANSITION_NOT_ALLOWED,
            {"state": state_label(obj, field)},
            state=state,
        )
    for condition in transition.conditions:
        if not condition(obj):
            raise DomainError(condition.refusal, state=state)


def written_fields(obj: models.Model, name: str, *, field: str = "state") -> list[str]:
    """The fields transition `name` writes from the current state, as it declares them:
    `@transition(..., custom={"update_fields": [...]})`."""
    transition = _transition_meta(obj, name).get_transition(getattr(obj, field))
    return [field, *transition.custom.get("update_fields", ())]


def _values(obj: models.Model) -> dict[str, object]:
    return {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def apply_transition(
    obj: models.Model,
    name: str,
    *,
    actor,
    note: str | Notice = "",
    field: str = "state",
    at=None,
    **kwargs,
):
    """Check, run the transition method, save the fields it declares and append the audit
    entry, in the role the actor holds on `obj` (core.roles.actor_role_on).

    The caller holds the row lock inside transaction.atomic(). The audit entry is dated `at`,
    else the transition's own `now` argument, else the present moment. A transition that
    changes a field it does not declare is a programming error, refused before anything is
    saved (otherwise the change would be silently lost).
    """
    check_transition(obj, name, actor=actor, field=field)
    from_state = getattr(obj, field)
    update_fields = written_fields(obj, name, field=field)
    before = _values(obj)
    result = getattr(obj, name)(**kwargs)
    undeclared = sorted(
        field_name
        for field_name, value in _values(obj).items()
        if value != before[field_name] and field_name not in update_fields
    )
    if undeclared:
        raise ImproperlyConfigured(
            f"{type(obj).__name__}.{name} changed {undeclared} without declaring them in "
            'custom={"update_fields": [...]}.'
        )
    save_fields(obj, update_fields)
    audit_record(
        target=obj,
        action=name,
        actor=actor,
        from_state=from_state,
        to_state=getattr(obj, field),
        note=note,
        at=at or kwargs.get("now"),
    )
    return result


def available_actions(obj: models.Model, user, *, field: str = "state") -> list[str]:
    """The transitions `user` may run on `obj` now (conditions met, permission granted)."""
    getter = getattr(obj, f"get_available_user_{field}_transitions")
    return [t.name for t in getter(user)]

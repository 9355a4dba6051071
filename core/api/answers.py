"""The base of the serializers that write the API's answers: the declared fields are the answer,
and DRF's own fields write every value; only the walk over them is compiled, once per class.

DRF rebuilds a serializer's fields for each serializer it makes (a ModelSerializer reads its
model's fields again each time) and, for each value, goes through the general
`Field.get_attribute`. Here a serializer class builds its fields once and compiles one reader
per field: a plain attribute path is read with `operator.attrgetter`, a related row's pk from
its `<name>_id` column, and anything else (a missing related row, a mapping, a callable) goes
through DRF's own `get_attribute`. Values are then written by the fields' own
`to_representation`, so amounts, times and choices read exactly as DRF writes them.

DRF's plain value fields (numbers, text, times, choices, lists of them) read nothing of the
request, so one bound copy of each serves every serializer of the class; any other field
(a nested serializer, a method field, a file, a field of the project's) is copied and bound to
each serializer, as DRF does, so that it sees its context.

A value computed from the object (whose move, the caller's actions) is a typed field declared
with `source="*"` and read by the serializer's `get_<field name>(obj)`, as a
SerializerMethodField's is; the field then writes it and the schema shows its type:

    class OfferSerializer(AnswerModelSerializer):
        available_actions = serializers.ListField(
            child=serializers.ChoiceField(choices=OFFER_ACTIONS), source="*", read_only=True
        )

        class Meta:
            model = Offer
            fields = ["id", "amount", "created_at", "available_actions"]

        def get_available_actions(self, offer) -> list[str]:
            return offer_actions(offer, self.context["request"].user)

Fields are built once per class: a field whose arguments must be read again for each
serializer (StatementField's length, from the rules) belongs on a plain Serializer."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, RelatedField

# Per serializer class: the fields it builds once (unbound), and its compiled walk.
_BUILT: dict[type, dict[str, serializers.Field]] = {}
_PLANS: dict[type, list] = {}

# DRF's value fields that read nothing of the request or of their parent: shared when bound.
_SHARED = {
    serializers.BooleanField,
    serializers.CharField,
    serializers.EmailField,
    serializers.SlugField,
    serializers.URLField,
    serializers.UUIDField,
    serializers.IntegerField,
    serializers.FloatField,
    serializers.DecimalField,
    serializers.DateTimeField,
    serializers.DateField,
    serializers.TimeField,
    serializers.DurationField,
    serializers.ChoiceField,
    serializers.JSONField,
    serializers.ReadOnlyField,
    serializers.PrimaryKeyRelatedField,
}


def action_url_name(transition: str) -> str:
    """The URL spelling of a transition: approve_without_return -> approve-without-return."""
    return transition.replace("_", "-")


def _copy(field: serializers.Field) -> serializers.Field:
    # A nested serializer or a list's child is bound to its parent, so it is built anew (DRF's
    # deepcopy re-creates it from its arguments); a plain field shares its settings safely.
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child"):
        return copy.deepcopy(field)
    return copy.copy(field)


def _shared(field: serializers.Field) -> bool:
    if isinstance(field, (serializers.ListField, serializers.DictField)):
        return type(field) in (serializers.ListField, serializers.DictField) and _shared(
            field.child
        )
    if type(field) is serializers.PrimaryKeyRelatedField:
        return field.pk_field is None and field.use_pk_only_optimization()
    return type(field) in _SHARED


def _unchanged(value):
    return value


class AnswerMixin:
    def get_fields(self) -> dict[str, serializers.Field]:
        built = _BUILT.get(type(self))
        if built is None:
            built = _BUILT[type(self)] = super().get_fields()
        return {name: _copy(field) for name, field in built.items()}

    @classmethod
    def _compile(cls) -> list:
        """One entry per readable field: a ready (name, read, write), or a function that makes
        it for a serializer (its own get_<name>, or its own bound copy of the field)."""
        template = cls()
        plan = []
        for field in template._readable_fields:
            name = field.field_name
            if isinstance(field, serializers.SerializerMethodField):
                method = field.method_name
                plan.append(
                    lambda self, name=name, method=method: (
                        name,
                        getattr(self, method),
                        _unchanged,
                    )
                )
            elif not _shared(field):
                plan.append(lambda self, name=name: self._bound_entry(name))
            elif field.source == "*" and hasattr(cls, f"get_{name}"):
                write = field.to_representation
                plan.append(
                    lambda self, name=name, write=write: (name, getattr(self, f"get_{name}"), write)
                )
            else:
                plan.append((name, template._reader(field), field.to_representation))
        return plan

    def _bound_entry(self, name: str) -> tuple:
        field = _copy(_BUILT[type(self)][name])
        field.bind(field_name=name, parent=self)
        read = getattr(self, f"get_{name}", None) if field.source == "*" else None
        return name, read or self._reader(field), field.to_representation

    def _reader(self, field: serializers.Field) -> Callable[[Any], Any]:
        if isinstance(field, RelatedField):
            return self._related_reader(field)
        if not field.source_attrs or isinstance(field, serializers.ListSerializer):
            return field.get_attribute  # the object itself; a related manager, read once
        path = attrgetter(".".join(field.source_attrs))
        general = field.get_attribute

        def read(instance):
            try:
                value = path(instance)
            except (AttributeError, ObjectDoesNotExist):
                return general(instance)  # a mapping, a missing row: DRF's defaults and None
            return general(instance) if callable(value) else value

        return read

    def _related_reader(self, field: RelatedField) -> Callable[[Any], Any]:
        # A related row named by its pk (the usual read-only PrimaryKeyRelatedField) is read
        # from the row's own column, `<name>_id`, as DRF's pk-only read does, without DRF
        # looking the model field up again for each row.
        model = getattr(getattr(self, "Meta", None), "model", None)
        if model is None or len(field.source_attrs) != 1 or not field.use_pk_only_optimization():
            return field.get_attribute
        try:
            attname = getattr(model._meta.get_field(field.source), "attname", None)
        except FieldDoesNotExist:
            attname = None
        if attname is None:  # not a column of the row (a reverse relation): DRF reads it
            return field.get_attribute
        column = attrgetter(attname)
        return lambda instance: PKOnlyObject(pk=column(instance))

    @cached_property
    def _plan(self) -> list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]]:
        plan = _PLANS.get(type(self))
        if plan is None:
            plan = _PLANS[type(self)] = type(self)._compile()
        return [entry if type(entry) is tuple else entry(self) for entry in plan]

    def to_representation(self, instance) -> dict:
        # Serializer.to_representation, with each field's reader compiled once.
        answer = {}
        for name, read, write in self._plan:
            try:
                value = read(instance)
            except SkipField:
                continue
            empty = value.pk is None if isinstance(value, PKOnlyObject) else value is None
            answer[name] = None if empty else write(value)
        return answer


# No docstrings on these two: drf-spectacular would show them as every answer's description.
class AnswerSerializer(AnswerMixin, serializers.Serializer):
    pass


class AnswerModelSerializer(AnswerMixin, serializers.ModelSerializer):
    pass

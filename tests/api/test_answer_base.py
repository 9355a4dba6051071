"""The answer base (core/api/answers.py) shares its plain fields between serializers: each
serializer still reads its own context, in its method fields, its typed computed fields and
its nested serializers, and a mapping or a missing value reads as DRF reads it."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from rest_framework import serializers

from core.api.answers import AnswerSerializer


class _Line(AnswerSerializer):
    amount = serializers.DecimalField(max_digits=8, decimal_places=2)
    seen_by = serializers.SerializerMethodField()

    def get_seen_by(self, line) -> str:
        return self.context["who"]


class _Sheet(AnswerSerializer):
    title = serializers.CharField(source="meta.title")
    lines = _Line(many=True)
    greeting = serializers.CharField(source="*")
    note = serializers.CharField(allow_null=True, required=False)
    memo = serializers.CharField(required=False)

    def get_greeting(self, sheet) -> str:
        return f"hello {self.context['who']}"


def _sheet(**extra):
    lines = [SimpleNamespace(amount=Decimal("1.5")), {"amount": Decimal("2")}]
    return SimpleNamespace(meta={"title": "Q3"}, lines=lines, **extra)


def test_each_serializer_reads_its_own_context_in_methods_and_nested_rows():
    ann = _Sheet(_sheet(note=None), context={"who": "ann"}).data
    bob = _Sheet(_sheet(note="n"), context={"who": "bob"}).data

    assert ann == {
        "title": "Q3",
        "lines": [
            {"amount": "1.50", "seen_by": "ann"},
            {"amount": "2.00", "seen_by": "ann"},
        ],
        "greeting": "hello ann",
        "note": None,
    }
    assert bob["greeting"] == "hello bob"
    assert [line["seen_by"] for line in bob["lines"]] == ["bob", "bob"]
    assert bob["note"] == "n"


def test_missing_values_read_as_drfs_own_walk_reads_them():
    sheet = _sheet()  # neither `note` nor `memo`
    serializer = _Sheet(sheet, context={"who": "ann"})

    answer = serializer.data

    drf = serializers.Serializer.to_representation(serializer, sheet)
    assert answer == drf | {"greeting": "hello ann"}  # DRF alone would write the object
    assert answer["note"] is None  # allowed to be null
    assert "memo" not in answer  # optional: left out

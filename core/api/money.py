"""The API's amount field: money in yuan, read strictly, and the schema that states the rule."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from core.errors import CoreErrorCode
from core.money import money_from_text, money_pattern


class MoneyField(serializers.DecimalField):
    """An amount in yuan sent as a string and read strictly (core.money): "1_0", "１００",
    " 5" or a JSON number are refused with a 400, never read as something else."""

    def __init__(self, *, max_digits: int = 12, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        amount = money_from_text(data) if isinstance(data, str) else None
        if amount is None:
            code = CoreErrorCode.AMOUNT_NOT_A_NUMBER
            raise serializers.ValidationError(code.message, code=code.value)
        return super().to_internal_value(amount)


class MoneyFieldSchema(OpenApiSerializerFieldExtension):
    """The schema states the same rule as MoneyField, so that clients and fuzzers know it."""

    target_class = MoneyField

    def map_serializer_field(self, auto_schema, direction):
        schema = {
            "type": "string",
            "format": "decimal",
            "pattern": money_pattern(self.target.max_digits),
            "example": "39.90",
        }
        if self.target.min_value is not None:
            schema["description"] = f"At least {self.target.min_value}."
        return schema

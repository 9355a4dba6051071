"""Template helpers of the seller center."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """A rate stored as a fraction (0.0125) shown as a percentage (1.25%)."""
    if value is None or value == "":
        return ""
    return f"{number_format(Decimal(value) * 100, 2)}%"

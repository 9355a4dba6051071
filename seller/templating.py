"""Template filters of the seller center's pages (config/jinja2.py hands them to Jinja)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format

from merchants.selectors import shop_id_of


def percent(value) -> str:
    """A rate stored as a fraction (0.0125) shown as a percentage (1.25%)."""
    if value is None or value == "":
        return ""
    return f"{number_format(Decimal(value) * 100, 2)}%"


def works_for_a_shop(user) -> bool:
    """Whether to offer the seller center to this user."""
    return shop_id_of(user) is not None

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone


def action_url_name(transition: str) -> str:
    """The URL spelling of a transition: approve_without_return -> approve-without-return."""
    return transition.replace("_", "-")


def datetime_repr(value: datetime | None) -> str | None:
    """A time as DRF's DateTimeField writes it (ISO 8601 in the current time zone, UTC as Z),
    for the answers the API writes by hand. The values are aware (USE_TZ)."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def decimal_repr(value: Decimal, places: int = 2) -> str:
    """A decimal as DRF's DecimalField with `places` decimal places writes it (money and
    scores: their columns hold that many places already)."""
    return f"{value:.{places}f}"

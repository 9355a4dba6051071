"""Amounts of money as people type them, read strictly: the ASCII digits 0–9, at most one
point, at most two decimals ("39.90", "100", "0.5"). Python's Decimal would also take "1_0"
(as 10), full-width "１００", "1e2", "Infinity" and surrounding spaces; none of those is an
amount a person meant, so each is refused with the same plain message."""

from __future__ import annotations

import re
from decimal import Decimal

from core.errors import CoreErrorCode, DomainError

MONEY_TEXT = r"[0-9]+(?:\.[0-9]{1,2})?"
_MONEY = re.compile(MONEY_TEXT)
CENT = Decimal("0.01")


def money_pattern(max_digits: int) -> str:
    """The JSON schema pattern of an amount of at most `max_digits` digits, two after the point."""
    return rf"^[0-9]{{1,{max_digits - 2}}}(?:\.[0-9]{{1,2}})?$"


def money_from_text(text: str) -> Decimal | None:
    """The amount that `text` spells, or None when it is not one."""
    return Decimal(text) if _MONEY.fullmatch(text) else None


def money_value(value, *, field: str) -> Decimal:
    """An amount handed to a service: a Decimal (a form or serializer parsed it already) or the
    text as typed. Refuses anything else, naming `field`."""
    if isinstance(value, str):
        amount = money_from_text(value)
    elif isinstance(value, Decimal | int) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        amount = None
    if amount is None or not amount.is_finite():
        raise DomainError(CoreErrorCode.AMOUNT_NOT_A_NUMBER, field=field)
    if amount != amount.quantize(CENT):
        raise DomainError(CoreErrorCode.AMOUNT_TOO_PRECISE, field=field)
    return amount

"""The payment gateway seam. Payment is simulated; a real gateway implements the same two calls
and is named in settings.PAYMENT_GATEWAY."""

from __future__ import annotations

import secrets
from decimal import Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class PaymentGateway(Protocol):
    def charge(self, *, order_number: str, amount: Decimal) -> str:
        """Take the buyer's payment; return the gateway's reference."""

    def refund(self, *, order_number: str, amount: Decimal, key: str) -> str:
        """Return money to the buyer; return the gateway's reference. `key` is the payment's
        own: a second call with the same key must not pay again (a retry)."""


class SimulatedGateway:
    def charge(self, *, order_number: str, amount: Decimal) -> str:
        return f"SIM-PAY-{order_number}-{secrets.token_hex(4)}"

    def refund(self, *, order_number: str, amount: Decimal, key: str) -> str:
        return f"SIM-REF-{order_number}-{secrets.token_hex(4)}"


@cache
def gateway() -> PaymentGateway:
    path = getattr(settings, "PAYMENT_GATEWAY", "orders.payments.SimulatedGateway")
    return import_string(path)()

"""The platform rules of SPEC §7 in one place: defaults, overridable by settings.PLATFORM_RULES.

Deadlines computed from these are stored on the rows when they are set, so a rule change
affects only deadlines set after it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings


@dataclass(frozen=True)
class Rules:
    merchant_response_window: timedelta = timedelta(hours=48)
    merchant_response_window_unshipped: timedelta = timedelta(hours=24)
    buyer_rejection_window: timedelta = timedelta(days=7)
    buyer_return_ship_window: timedelta = timedelta(days=7)
    merchant_return_confirm_window: timedelta = timedelta(days=10)
    evidence_window: timedelta = timedelta(hours=48)
    ruling_sla: timedelta = timedelta(hours=48)
    appeal_window: timedelta = timedelta(days=30)
    after_sales_window: timedelta = timedelta(days=15)
    no_reason_return_window: timedelta = timedelta(days=7)
    order_auto_confirm_window: timedelta = timedelta(days=10)
    reminder_before_deadline: timedelta = timedelta(hours=24)
    dispute_lost_points: int = 2
    dispute_lost_points_min: int = 1
    dispute_lost_points_max: int = 6
    non_cooperation_points: int = 4
    restriction_threshold: int = 12
    first_restriction: timedelta = timedelta(days=7)
    low_value_item: Decimal = Decimal("50.00")
    max_revisions: int = 3
    max_text_length: int = 500
    max_evidence_per_party: int = 9
    max_evidence_bytes: int = 5 * 1024 * 1024
    max_message_images: int = 3
    penalty_period_timezone: str = "Asia/Shanghai"

    # However many thresholds a shop crosses, a restriction never outlasts a penalty period
    # (a calendar year). Without a ceiling the doubling passes the largest date Python can
    # hold from the 20th crossing (7 days × 2¹⁹ is some 10,000 years).
    LONGEST_RESTRICTION: ClassVar[timedelta] = timedelta(days=365)

    def restriction_length(self, level: int) -> timedelta:
        """The n-th threshold crossing in a period restricts for twice as long as the one
        before, up to LONGEST_RESTRICTION."""
        length = self.first_restriction
        for _ in range(level - 1):
            if length >= self.LONGEST_RESTRICTION:
                break
            length *= 2
        return min(length, self.LONGEST_RESTRICTION)


def get_rules() -> Rules:
    overrides = getattr(settings, "PLATFORM_RULES", {}) or {}
    known = {f.name for f in fields(Rules)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"Unknown platform rules in settings.PLATFORM_RULES: {sorted(unknown)}")
    return replace(Rules(), **overrides)

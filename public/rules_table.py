"""The platform rules of SPEC §7 as the public rules page shows them, read from `core/rules.py`
itself: every field of `Rules` with its current value, so the page cannot drift from the code."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.rules import Rules, get_rules

DEADLINES, PENALTIES, LIMITS = "deadlines", "penalties", "limits"
GROUP_TITLES = {
    DEADLINES: _("Deadlines"),
    PENALTIES: _("Penalty points and restrictions"),
    LIMITS: _("Limits"),
}

# What each field of core.rules.Rules means to a buyer or a merchant, and its group.
RULE_WORDS = {
    "merchant_response_window": (
        DEADLINES,
        _("The shop answers a new after-sales request within (silence counts as approval)"),
    ),
    "merchant_response_window_unshipped": (
        DEADLINES,
        _("… or within this, if the order has not been shipped yet"),
    ),
    "buyer_rejection_window": (
        DEADLINES,
        _(
            "After a rejection, the buyer may edit the request or apply for platform intervention "
            "within (then it closes)"
        ),
    ),
    "buyer_return_ship_window": (
        DEADLINES,
        _("The buyer ships the return within (then the request closes)"),
    ),
    "merchant_return_confirm_window": (
        DEADLINES,
        _("The shop confirms the returned parcel within (then the refund is paid)"),
    ),
    "evidence_window": (
        DEADLINES,
        _("Each party gives evidence after the platform steps in within"),
    ),
    "ruling_sla": (DEADLINES, _("The platform rules after the evidence closes within")),
    "appeal_window": (DEADLINES, _("The shop may appeal a ruling once, within")),
    "after_sales_window": (
        DEADLINES,
        _("After-sales can be requested after the order is completed for"),
    ),
    "no_reason_return_window": (
        DEADLINES,
        _("A seven-day no-reason return can be requested after completion for"),
    ),
    "order_auto_confirm_window": (
        DEADLINES,
        _("Receipt is confirmed automatically after delivery"),
    ),
    "reminder_before_deadline": (
        DEADLINES,
        _("The party who must act is reminded before a deadline"),
    ),
    "dispute_lost_points": (
        PENALTIES,
        _("Penalty points for a dispute ruled against the shop"),
    ),
    "dispute_lost_points_min": (
        PENALTIES,
        _("… at least (the agent may choose within the bounds)"),
    ),
    "dispute_lost_points_max": (PENALTIES, _("… at most")),
    "non_cooperation_points": (
        PENALTIES,
        _("Extra points when the shop did not cooperate with after-sales"),
    ),
    "restriction_threshold": (
        PENALTIES,
        _("The shop is restricted (hidden, barred from listing, publicly warned) at"),
    ),
    "first_restriction": (
        PENALTIES,
        _("The first restriction lasts (each further threshold in the year doubles it)"),
    ),
    "penalty_period_timezone": (
        PENALTIES,
        _("Points count within the calendar year in the time zone"),
    ),
    "low_value_item": (
        PENALTIES,
        _("Advice to refund without return for items worth at most"),
    ),
    "max_revisions": (LIMITS, _("A buyer may edit one request at most")),
    "max_text_length": (LIMITS, _("A statement or reason is at most")),
    "max_evidence_per_party": (LIMITS, _("Evidence images per party, at most")),
    "max_evidence_bytes": (LIMITS, _("Size of one evidence image, at most")),
    "max_message_images": (LIMITS, _("Photos on one message, at most")),
}

# Fields whose integer value is not a count of points.
INTEGER_UNITS = {
    "max_revisions": "times",
    "max_text_length": "characters",
    "max_evidence_per_party": "images",
    "max_evidence_bytes": "bytes",
    "max_message_images": "images",
}


def duration_text(value: timedelta) -> str:
    """'48 hours', '7 days' (the largest whole unit), in the active language."""
    hours = int(value.total_seconds() // 3600)
    if hours and hours % 24 == 0 and hours > 48:
        days = hours // 24
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if hours:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = int(value.total_seconds() // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def value_text(name: str, value) -> str:
    if isinstance(value, timedelta):
        return duration_text(value)
    if isinstance(value, Decimal):
        return f"¥{value:.2f}"
    if isinstance(value, str):
        return value
    unit = INTEGER_UNITS.get(name, "points")
    if unit == "times":
        return ngettext("%(count)d time", "%(count)d times", value) % {"count": value}
    if unit == "characters":
        return ngettext("%(count)d character", "%(count)d characters", value) % {"count": value}
    if unit == "images":
        return ngettext("%(count)d image", "%(count)d images", value) % {"count": value}
    if unit == "bytes":
        return f"{value / (1024 * 1024):g} MB"
    return ngettext("%(count)d point", "%(count)d points", value) % {"count": value}


@dataclass(frozen=True)
class RuleRow:
    name: str
    label: str
    value: str


@dataclass(frozen=True)
class RuleGroup:
    key: str
    title: str
    rows: list[RuleRow]


def rules_table(rules: Rules | None = None) -> list[RuleGroup]:
    """Every rule in force, grouped, in the order `core/rules.py` declares them. A field the
    words above do not know is shown under its own name rather than left out."""
    rules = rules or get_rules()
    groups: dict[str, list[RuleRow]] = {DEADLINES: [], PENALTIES: [], LIMITS: []}
    for field in fields(Rules):
        group, label = RULE_WORDS.get(field.name, (LIMITS, field.name))
        value = getattr(rules, field.name)
        groups[group].append(RuleRow(field.name, str(label), value_text(field.name, value)))
    return [RuleGroup(key, str(GROUP_TITLES[key]), rows) for key, rows in groups.items()]

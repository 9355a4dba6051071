"""The rules page reads every rule and its current value from core/rules.py."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta

from django.utils.translation import override

from core.rules import Rules
from public.rules_table import RULE_WORDS, rules_table


def test_every_rule_of_the_table_has_words_for_the_page():
    assert {f.name for f in fields(Rules)} == set(RULE_WORDS)


def test_the_table_shows_each_rule_with_its_value_in_english():
    with override("en"):
        rows = {row.name: row.value for group in rules_table() for row in group.rows}

    assert rows["merchant_response_window"] == "48 hours"
    assert rows["buyer_rejection_window"] == "7 days"
    assert rows["restriction_threshold"] == "12 points"
    assert rows["low_value_item"] == "¥50.00"
    assert rows["max_text_length"] == "500 characters"
    assert rows["max_evidence_bytes"] == "5 MB"
    assert len(rows) == len(fields(Rules))


def test_a_changed_rule_shows_its_new_value(settings):
    settings.PLATFORM_RULES = {"merchant_response_window": timedelta(hours=24)}

    with override("en"):
        rows = {row.name: row.value for group in rules_table() for row in group.rows}

    assert rows["merchant_response_window"] == "24 hours"

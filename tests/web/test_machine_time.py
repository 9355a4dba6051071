"""`<time datetime>` values are valid HTML: at most three digits of a second's fraction (Django's
"c" format and isoformat() write six), in the page's time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.urls import reverse

from core.templating import deadline, machine_time
from tests.seller.conftest import client_for

# HTML's "valid global date and time string", as a page writes it.
VALID = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$")


def test_a_moment_with_microseconds_is_written_to_the_second_in_local_time():
    moment = datetime(2026, 12, 4, 1, 38, 5, 123456, tzinfo=UTC)

    assert machine_time(moment) == "2026-12-04T09:38:05+08:00"
    assert 'datetime="2026-12-04T09:38:05+08:00"' in deadline(moment)


def test_every_time_on_the_dashboard_and_the_orders_to_ship_is_valid(wf, merchant):
    wf.intervention("ruled")
    wf.order("paid")
    client = client_for(merchant)

    values = []
    for name in ("penalty-dashboard", "seller-orders", "seller-queue"):
        page = client.get(reverse(name)).content.decode()
        values += re.findall(r'datetime="([^"]*)"', page)

    assert len(values) >= 2
    assert [v for v in values if not VALID.match(v)] == []

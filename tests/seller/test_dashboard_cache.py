"""The dashboard keeps its figures over many rows (paid orders, response times) for
DASHBOARD_CACHE_SECONDS, and shows points and rulings as soon as they happen."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient


@pytest.fixture
def cached_dashboard(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60


def _dashboard(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api-dashboard"))
    assert response.status_code == 200
    return response.json(), len(queries)


def test_a_new_penalty_shows_at_once_while_the_paid_orders_may_lag(cached_dashboard, wf, merchant):
    client = APIClient()
    client.force_authenticate(merchant)
    wf.order("delivered")
    wf.refund("rejected")  # an answered request: the response times have a median to find
    first, first_queries = _dashboard(client)

    wf.order("delivered")  # one more paid order: counted within the minute at the latest
    intervention = wf.intervention("under_review")
    wf.rule_against_merchant(intervention, merchant_cooperated=False)
    second, second_queries = _dashboard(client)

    assert second["points"] == first["points"] + 6
    assert second["paid_orders_90_days"] == first["paid_orders_90_days"]
    assert second_queries == first_queries - 3  # paid orders and the two response figures

    cache.clear()  # the minute has passed
    third, _ = _dashboard(client)
    assert third["paid_orders_90_days"] == first["paid_orders_90_days"] + 2

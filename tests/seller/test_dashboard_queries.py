"""The penalty dashboard of a shop with 10,000 orders runs the same number of queries with 1
and with 500 penalty records (SPEC §10: constant queries whatever the number of rows)."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from penalties.models import PenaltyRecord
from tests import factories
from tests.seller.bulk import bulk_history
from tests.seller.conftest import client_for


def _shop_with(records_rulings: int, *, buyer, agent, now):
    shop = factories.ShopFactory()
    merchant = factories.make_merchant(shop=shop)
    bulk_history(
        shop=shop,
        buyer=buyer,
        agent=agent,
        merchant=merchant,
        now=now,
        orders=10_000,
        rulings=records_rulings,
    )
    return shop, merchant


def _render(merchant):
    client = client_for(merchant)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(reverse("penalty-dashboard"))
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return len(queries), elapsed, response.content.decode()


def test_the_dashboard_runs_the_same_queries_with_1_and_500_penalty_records(buyer, agent):
    now = timezone.now()
    small, small_merchant = _shop_with(1, buyer=buyer, agent=agent, now=now)
    big, big_merchant = _shop_with(375, buyer=buyer, agent=agent, now=now)
    assert PenaltyRecord.objects.filter(shop=small).count() == 1
    assert PenaltyRecord.objects.filter(shop=big).count() == 500

    _render(small_merchant)  # warm the per-process caches (content types, sessions)
    small_queries, _, small_page = _render(small_merchant)
    big_queries, big_seconds, big_page = _render(big_merchant)

    print(
        f"dashboard: {small_queries} queries with 1 record, {big_queries} with 500 ({big_seconds:.2f} s)"
    )
    assert big_queries == small_queries
    # Session, user, shop; the response figures (2) and paid orders, not kept in tests; the
    # records, with their rulings, the interventions, the appeals and the orders' numbers (the
    # points are summed from them); the unread badge. The restriction is the API's only.
    assert small_queries == 8
    assert small_page.count('<li class="record') == 1
    assert big_page.count('<li class="record') == 375  # one row per ruling, 500 records


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_and_the_orders_to_ship_run_the_same_queries_with_1_and_20_rows(wf, merchant):
    client = client_for(merchant)
    wf.refund("requested")
    wf.order("paid")
    _count(client, reverse("seller-queue"))
    one = (_count(client, reverse("seller-queue")), _count(client, reverse("seller-orders")))

    for _ in range(19):
        wf.refund("requested")
        wf.order("paid")

    assert (
        _count(client, reverse("seller-queue")),
        _count(client, reverse("seller-orders")),
    ) == one


def test_the_queue_reads_its_rows_and_their_first_items_in_one_query(wf, merchant):
    client = client_for(merchant)
    for _ in range(3):
        wf.refund("requested")

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("seller-queue")).status_code == 200

    assert not [q for q in queries if q["sql"].startswith('SELECT "orders_orderitem"')]
    rows = [q for q in queries if q["sql"].startswith('SELECT "disputes_refundrequest"."id"')]
    assert len(rows) == 1

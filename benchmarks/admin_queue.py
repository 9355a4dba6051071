"""How fast the agents' intervention queue answers over many cases.

Bulk-creates N interventions (by default 100,000: one in ten open, a third of those overdue,
the rest ruled) with their orders and refunds, then times the queue's pages as an agent sees
them: the default open queue, overdue, assigned to me, unassigned, every state, and a search by
order number. Each page is fetched --repeat times; the median time and the query count are
printed, with PostgreSQL's plan for the default page's list query.

    DATABASE_URL=postgres://…/bench .venv/bin/python -m benchmarks.admin_queue --cases 100000

It refuses to start on a database that holds interventions it did not build: give it one of
its own. A second run on the same database reuses the cases it built.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django

django.setup()

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.roles import AGENTS_GROUP, ensure_platform_groups  # noqa: E402
from disputes.models import Intervention, InterventionState, RefundRequest, RefundState  # noqa: E402
from merchants.models import Shop  # noqa: E402
from orders.models import Order, OrderState  # noqa: E402

BATCH = 5_000


def build(cases: int) -> tuple[object, str]:
    """The fixture, bulk-created (the one place that skips the services). Returns the agent and
    one order number to search for."""
    user_model = get_user_model()
    ensure_platform_groups()
    agent = user_model.objects.create_user("bench-agent", password="x", is_staff=True)
    agent.groups.add(django.contrib.auth.models.Group.objects.get(name=AGENTS_GROUP))
    buyers = user_model.objects.bulk_create(
        [user_model(username=f"bench-buyer-{i}") for i in range(1000)]
    )
    shops = Shop.objects.bulk_create([Shop(name=f"Bench shop {i}") for i in range(100)])
    now = timezone.now()
    for start in range(0, cases, BATCH):
        numbers = range(start, min(start + BATCH, cases))
        orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"B{i:012d}",
                    buyer=buyers[i % 1000],
                    shop=shops[i % 100],
                    state=OrderState.DELIVERED,
                    total=Decimal("100.00"),
                    created_at=now - timedelta(days=30),
                )
                for i in numbers
            ]
        )
        is_open = [i % 10 == 0 for i in numbers]
        refunds = RefundRequest.objects.bulk_create(
            [
                RefundRequest(
                    order=order,
                    buyer_id=order.buyer_id,
                    shop_id=order.shop_id,
                    kind="refund_only",
                    reason="quality_problem",
                    amount=Decimal("100.00"),
                    state=RefundState.IN_INTERVENTION if opened else RefundState.CLOSED,
                )
                for order, opened in zip(orders, is_open, strict=True)
            ]
        )
        Intervention.objects.bulk_create(
            [
                Intervention(
                    refund=refund,
                    shop_id=refund.shop_id,
                    buyer_id=refund.buyer_id,
                    state=InterventionState.UNDER_REVIEW if opened else InterventionState.RULED,
                    buyer_statement="Broken",
                    # spread over ±3 days: about a third of the open cases are overdue
                    evidence_deadline=now + timedelta(minutes=(i * 7) % 8640 - 6000),
                    ruling_deadline=now + timedelta(minutes=(i * 7) % 8640 - 3000),
                    assigned_agent=agent if i % 20 == 0 else None,
                )
                for i, refund, opened in zip(numbers, refunds, is_open, strict=True)
            ]
        )
    with connection.cursor() as cursor:
        for table in ("orders_order", "disputes_refundrequest", "disputes_intervention"):
            cursor.execute(f"ANALYZE {table}")
    return agent, f"B{(cases // 2):012d}"


def timed(client: Client, url: str, params: dict, repeat: int) -> tuple[float, int, int]:
    seconds = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    rows = response.content.decode().count('name="_selected_action"')
    return statistics.median(seconds), len(queries), rows


def main(argv=None, out=sys.stdout) -> dict[str, tuple[float, int, int]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    agent = get_user_model().objects.filter(username="bench-agent").first()
    if agent is not None:
        cases = Intervention.objects.count()
        order_number = f"B{(cases // 2):012d}"
        print(f"reusing the {cases} cases built before", file=out)
    elif Intervention.objects.exists():
        raise SystemExit("This database holds interventions already: give the benchmark its own.")
    else:
        started = time.perf_counter()
        agent, order_number = build(args.cases)
        print(f"built {args.cases} cases in {time.perf_counter() - started:.1f} s", file=out)
    client = Client(SERVER_NAME="localhost")
    client.force_login(agent)
    url = f"/{settings.ADMIN_URL}disputes/intervention/"
    pages = {
        "open (default)": {},
        "overdue": {"overdue": "yes"},
        "assigned to me": {"assigned": "me"},
        "unassigned": {"assigned": "nobody"},
        "every state": {"queue": "all"},
        "search by order number": {"q": order_number, "queue": "all"},
    }
    results = {}
    for name, params in pages.items():
        results[name] = timed(client, url, params, args.repeat)
        seconds, queries, rows = results[name]
        print(f"{name:24} {seconds * 1000:8.1f} ms  {queries:3d} queries  {rows:4d} rows", file=out)
    if connection.vendor == "postgresql":
        request = client.get(url).wsgi_request
        from django.contrib import admin

        queryset = admin.site._registry[Intervention].get_changelist_instance(request).queryset
        with connection.cursor() as cursor:
            sql, sql_params = queryset[:100].query.sql_with_params()
            cursor.execute(f"EXPLAIN ANALYZE {sql}", sql_params)
            print("\n".join(row[0] for row in cursor.fetchall()), file=out)
    return results


if __name__ == "__main__":
    main()

"""The deadline sweep against two raw-SQL baselines (SPEC §10).

The workload is N refunds rejected by the merchant whose deadline has passed: the auto-close
path, one state update and one audit entry per row. Three contenders do it:

- ``product``: ``disputes.deadlines.enforce_deadlines(now=…)``, the real sweep, through the
  services (it also writes one notification per refund, which the baselines do not);
- ``raw_per_row``: per batch, one ``SELECT … FOR UPDATE SKIP LOCKED``, then one UPDATE and one
  audit INSERT per row;
- ``raw_set_based``: per batch, one ``UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED) RETURNING``
  and one ``INSERT … SELECT`` from the returned ids (the physical limit; PostgreSQL only).

Each timed run starts from the same fixture, rebuilt after emptying the tables, and is checked
afterwards: all N refunds closed and N ``auto_close`` audit entries, or the run fails loudly.

    DATABASE_URL=postgres://… .venv/bin/python -m benchmarks.deadline_sweep --rows 5000

It EMPTIES the order, refund, audit and notification tables, so it refuses to start on a
database where they hold anything: give it a database of its own.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
# local.py turns DEBUG on by default, and DEBUG keeps every query in connection.queries: that
# would tax the ORM contender for bookkeeping no production sweep does.
os.environ.setdefault("DJANGO_DEBUG", "false")

import django

django.setup()

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.models import ActorRole, AuditEntry, Notification  # noqa: E402
from disputes.deadlines import BATCH_SIZE, enforce_deadlines  # noqa: E402
from disputes.models import (  # noqa: E402
    RefundKind,
    RefundReason,
    RefundRequest,
    RefundState,
)
from merchants.models import Shop  # noqa: E402
from orders.models import Order, OrderState  # noqa: E402

BENCH_USER = "bench-sweep-buyer"
BENCH_SHOP = "bench-sweep-shop"
# What the product writes for an auto-close (disputes.services.refund_auto_close).
ACTION = "auto_close"
NOTE = "the buyer did not act in time"
# The states the product's auto-close sweep takes (disputes.deadlines).
DUE_STATES = (RefundState.REJECTED.value, RefundState.AWAITING_RETURN.value)
# Emptied before every run; the refund and order tables cascade to their dependants, which the
# start-up check proves are empty too (their rows would need a refund or an order).
FIXTURE_TABLES = ("core_notification", "core_auditentry", "disputes_refundrequest", "orders_order")
SQLITE_DELETE_ORDER = (
    "core_notification",
    "core_auditentry",
    "disputes_refundpayment",
    "disputes_refundrequest",
    "orders_orderitem",
    "orders_order",
)


class BenchmarkError(RuntimeError):
    """A contender left the database in the wrong state, or the database is not ours to empty."""


# --- the fixture ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    rows: int
    now: datetime
    buyer_id: int
    shop_id: int


def _ensure_empty() -> None:
    models = (Order, RefundRequest, AuditEntry, Notification)
    busy = [m._meta.db_table for m in models if m.objects.exists()]
    if busy:
        raise BenchmarkError(
            f"Refusing to run: {', '.join(busy)} already hold rows and the benchmark empties "
            "them. Point DATABASE_URL at a database of its own."
        )


def _reset() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE, not DELETE: the audit trail's trigger refuses DELETE.
            cursor.execute(f"TRUNCATE {', '.join(FIXTURE_TABLES)} RESTART IDENTITY CASCADE")
        else:
            for table in SQLITE_DELETE_ORDER:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (constant table names)


def _build(fixture: Fixture) -> None:
    """N shipped orders, each with one refund the merchant rejected, overdue at `now`.

    Rows are bulk-created for speed: the fixture is the only place the services are bypassed.
    FSMField(protected=True) allows the state at construction time.
    """
    now, n = fixture.now, fixture.rows
    filed = now - timedelta(days=3)
    orders = Order.objects.bulk_create(
        [
            Order(
                number=f"BENCH{i:012d}",
                buyer_id=fixture.buyer_id,
                shop_id=fixture.shop_id,
                state=OrderState.SHIPPED,
                total=Decimal("100.00"),
                created_at=filed - timedelta(days=2),
                paid_at=filed - timedelta(days=2),
                shipped_at=filed - timedelta(days=1),
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    RefundRequest.objects.bulk_create(
        [
            RefundRequest(
                order_id=order.pk,
                buyer_id=fixture.buyer_id,
                shop_id=fixture.shop_id,
                kind=RefundKind.REFUND_ONLY,
                reason=RefundReason.NOT_RECEIVED,
                amount=Decimal("100.00"),
                state=RefundState.REJECTED,
                deadline=now - timedelta(hours=1),
                rejection_reason="benchmark",
                created_at=filed,
                responded_at=filed + timedelta(hours=1),
            )
            for order in orders
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        # Fresh statistics so every contender's planner sees the same, true table sizes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE disputes_refundrequest, orders_order, core_auditentry")


def _check(fixture: Fixture, contender: str, *, notified: bool) -> None:
    """Fail loudly unless every refund is closed with exactly one auto-close audit entry."""
    n, now = fixture.rows, fixture.now
    refund_type = ContentType.objects.get_for_model(RefundRequest)
    problems = []
    closed = RefundRequest.objects.filter(
        state=RefundState.CLOSED, deadline__isnull=True, closed_at=now
    ).count()
    if closed != n or RefundRequest.objects.count() != n:
        problems.append(f"{closed} of {RefundRequest.objects.count()} refunds closed, expected {n}")
    entries = AuditEntry.objects.filter(
        target_type=refund_type,
        action=ACTION,
        from_state=RefundState.REJECTED,
        to_state=RefundState.CLOSED,
        actor__isnull=True,
        actor_role=ActorRole.SYSTEM,
        note=NOTE,
        created_at=now,
    )
    targets = entries.values("target_id").distinct().count()
    if entries.count() != n or targets != n or AuditEntry.objects.count() != n:
        problems.append(
            f"{entries.count()} auto_close entries on {targets} refunds "
            f"({AuditEntry.objects.count()} in all), expected {n} on {n}"
        )
    if notified and Notification.objects.count() != n:
        problems.append(f"{Notification.objects.count()} notifications, expected {n}")
    if problems:
        raise BenchmarkError(f"{contender}: " + "; ".join(problems))


# --- the contenders -------------------------------------------------------------------------


def run_product(fixture: Fixture, batch_size: int) -> None:
    done = enforce_deadlines(now=fixture.now, batch_size=batch_size)
    if done["refunds_auto_closed"] != fixture.rows:
        raise BenchmarkError(f"product: the sweep reports {done}")


def _audit_columns() -> str:
    return (
        "target_type_id, target_id, action, from_state, to_state, actor_id, actor_role, "
        "note, created_at"
    )


def run_raw_per_row(fixture: Fixture, batch_size: int) -> None:
    """One statement per row: the shape of an ORM loop with nothing else around it."""
    lock = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    select_due = (
        "SELECT id, state FROM disputes_refundrequest"  # noqa: S608 (constant)
        f" WHERE state IN (%s, %s) AND deadline <= %s ORDER BY id LIMIT %s{lock}"
    )
    update_one = (
        "UPDATE disputes_refundrequest SET state = %s, deadline = NULL, closed_at = %s"
        " WHERE id = %s"
    )
    insert_one = (
        f"INSERT INTO core_auditentry ({_audit_columns()})"  # noqa: S608 (constant)
        " VALUES (%s, %s, %s, %s, %s, NULL, %s, %s, %s)"
    )
    refund_type = ContentType.objects.get_for_model(RefundRequest).pk
    # As the ORM would send it (SQLite stores naive UTC text; PostgreSQL takes it as is).
    now = connection.ops.adapt_datetimefield_value(fixture.now)
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select_due, [*DUE_STATES, now, batch_size])
            due = cursor.fetchall()
            for pk, from_state in due:
                cursor.execute(update_one, [RefundState.CLOSED.value, now, pk])
                cursor.execute(
                    insert_one,
                    [
                        refund_type,
                        pk,
                        ACTION,
                        from_state,
                        RefundState.CLOSED.value,
                        ActorRole.SYSTEM.value,
                        NOTE,
                        now,
                    ],
                )
        if len(due) < batch_size:
            return


def run_raw_set_based(fixture: Fixture, batch_size: int) -> None:
    """Two statements per batch, whatever its size: the physical limit."""
    # The join hands the old state to RETURNING, so the audit entry's from_state is true.
    update_batch = (
        "UPDATE disputes_refundrequest AS r SET state = %s, deadline = NULL, closed_at = %s"
        " FROM (SELECT id, state FROM disputes_refundrequest"
        "       WHERE state IN (%s, %s) AND deadline <= %s"
        "       ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) AS due"
        " WHERE r.id = due.id RETURNING r.id, due.state"
    )
    insert_batch = (
        f"INSERT INTO core_auditentry ({_audit_columns()})"  # noqa: S608 (constant)
        " SELECT %s, moved.id, %s, moved.state, %s, NULL, %s, %s, %s"
        " FROM unnest(%s::bigint[], %s::text[]) AS moved(id, state)"
    )
    refund_type = ContentType.objects.get_for_model(RefundRequest).pk
    now = fixture.now
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                update_batch, [RefundState.CLOSED.value, now, *DUE_STATES, now, batch_size]
            )
            moved = cursor.fetchall()
            if moved:
                ids, states = zip(*moved, strict=True)
                cursor.execute(
                    insert_batch,
                    [
                        refund_type,
                        ACTION,
                        RefundState.CLOSED.value,
                        ActorRole.SYSTEM.value,
                        NOTE,
                        now,
                        list(ids),
                        list(states),
                    ],
                )
        if len(moved) < batch_size:
            return


@dataclass(frozen=True)
class Contender:
    name: str
    run: Callable[[Fixture, int], None]
    notifies: bool = False
    postgres_only: bool = False


CONTENDERS = (
    Contender("product", run_product, notifies=True),
    Contender("raw_per_row", run_raw_per_row),
    Contender("raw_set_based", run_raw_set_based, postgres_only=True),
)


# --- running and reporting ------------------------------------------------------------------


@dataclass
class Result:
    contender: str
    rows: int
    seconds: list[float] = field(default_factory=list)
    peak_mib: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.median if self.median else float("inf")


def _one_run(contender: Contender, fixture: Fixture, batch_size: int) -> float:
    _reset()
    _build(fixture)
    gc.collect()
    started = time.perf_counter()
    contender.run(fixture, batch_size)
    elapsed = time.perf_counter() - started
    _check(fixture, contender.name, notified=contender.notifies)
    return elapsed


def _traced_peak(contender: Contender, fixture: Fixture, batch_size: int) -> float:
    """Peak Python allocation (MiB) over one extra, untimed run: tracing slows the code."""
    _reset()
    _build(fixture)
    gc.collect()
    tracemalloc.start()
    try:
        contender.run(fixture, batch_size)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _check(fixture, contender.name, notified=contender.notifies)
    return peak / 2**20


def _table(results: Sequence[Result]) -> str:
    by_name = {r.contender: r for r in results}
    set_based, per_row = by_name.get("raw_set_based"), by_name.get("raw_per_row")
    header = (
        f"{'contender':<15} {'rows':>7} {'seconds':>9} {'rows/s':>10} "
        f"{'× set-based':>12} {'× per-row':>10} {'peak MiB':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        vs_set = f"{r.median / set_based.median:.1f}" if set_based else "n/a"
        vs_row = f"{r.median / per_row.median:.1f}" if per_row else "n/a"
        peak = f"{r.peak_mib:.1f}" if r.peak_mib is not None else "-"
        lines.append(
            f"{r.contender:<15} {r.rows:>7} {r.median:>9.3f} {r.rows_per_second:>10.0f} "
            f"{vs_set:>12} {vs_row:>10} {peak:>9}"
        )
    return "\n".join(lines)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="overdue refunds (default 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (median)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument(
        "--memory",
        action="store_true",
        help="one extra untimed run per contender under tracemalloc, for peak allocation",
    )
    parser.add_argument(
        "--only", action="append", choices=[c.name for c in CONTENDERS], help="repeatable"
    )
    parser.add_argument("--json", help="also write the results to this file (benchmarks.run)")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1 or args.batch_size < 1:
        parser.error("--rows, --repeat and --batch-size must be positive")
    return args


def main(argv: Sequence[str] | None = None, *, out=None) -> list[Result]:
    """Run the benchmark; returns the results, raises BenchmarkError on a wrong outcome."""
    out = out or sys.stdout
    args = _parse(argv)
    contenders = [c for c in CONTENDERS if not args.only or c.name in args.only]
    for c in [c for c in contenders if c.postgres_only and connection.vendor != "postgresql"]:
        print(
            f"skipping {c.name}: FOR UPDATE SKIP LOCKED, UPDATE … FROM … RETURNING and unnest() "
            f"are PostgreSQL's, and the physical limit means nothing on {connection.vendor}",
            file=out,
        )
        contenders.remove(c)
    if settings.DEBUG:
        print("warning: DEBUG is on; every query is logged, which slows the ORM", file=out)

    _ensure_empty()
    user_model = get_user_model()
    buyer, made_buyer = user_model.objects.get_or_create(username=BENCH_USER)
    shop, made_shop = Shop.objects.get_or_create(name=BENCH_SHOP)
    fixture = Fixture(rows=args.rows, now=timezone.now(), buyer_id=buyer.pk, shop_id=shop.pk)
    results = {c.name: Result(c.name, args.rows) for c in contenders}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{connection.vendor}, {args.rows} overdue refunds, batch {args.batch_size}, "
        f"median of {args.repeat}",
        file=out,
    )
    try:
        # Round-robin, so that a drift in the machine's load falls on every contender alike.
        for _ in range(args.repeat):
            for c in contenders:
                results[c.name].seconds.append(_one_run(c, fixture, args.batch_size))
        if args.memory:
            for c in contenders:
                results[c.name].peak_mib = _traced_peak(c, fixture, args.batch_size)
    finally:
        _reset()
        if made_buyer:
            buyer.delete()
        if made_shop:
            shop.delete()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(_table(list(results.values())), file=out)
    print(f"all runs checked: {args.rows} refunds closed, {args.rows} auto_close entries", file=out)
    print(f"process peak RSS grew by {rss_growth:.1f} MiB over the whole benchmark", file=out)
    if args.json:
        rows = [
            {"contender": r.contender, "rows": r.rows, "seconds": r.median, "runs": r.seconds}
            for r in results.values()
        ]
        Path(args.json).write_text(json.dumps(rows), encoding="utf-8")
    return list(results.values())


if __name__ == "__main__":
    try:
        main()
    except BenchmarkError as exc:
        sys.exit(f"FAILED: {exc}")

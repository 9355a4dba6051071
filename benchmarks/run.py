"""The whole product under load, against its baselines, in one run (SPEC §10).

    .venv/bin/python -m benchmarks.run                    # the full run: docs/BENCHMARKS.md
    .venv/bin/python -m benchmarks.run --smoke --seed 300 --database-url … --out -

It serves the product with gunicorn (`--workers` sync workers, `benchmarks.settings`) on a
loopback port, against a database filled by `manage.py seed_bench`, and drives each endpoint
with `--clients` concurrent clients (threads of this process, one connection per request as
gunicorn's sync workers answer) for at most `--seconds` or `--requests`, whichever comes first,
after a short warm-up. Every answer's status is checked: a page that fails is an error, not a
figure. Pages are compared with the bare page (session login), API reads and the POST with the
bare API view (token). Then the merchant dashboard is timed alone (one client: server time),
the workers' peak RSS is read from /proc, and the deadline sweep runs against its raw-SQL
baselines (`benchmarks.deadline_sweep`) in a database of its own, because it empties its tables.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import argparse
import http.client
import json
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_data"
DEFAULT_SWEEP_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_sweep"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


class BenchError(RuntimeError):
    """An endpoint answered wrongly, the server did not start, or the data set is missing."""


# --- the endpoints ---------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    kind: str  # "page" or "api": which baseline it is compared with
    url_name: str
    args: tuple = ()
    who: str = "buyer"
    method: str = "GET"
    expect: int = 200
    baseline: bool = False
    reference: bool = False  # measured against the baseline, but no target of its own
    path: str | None = None  # resolved, or None: not built yet


def endpoints(fixture: dict) -> list[Endpoint]:
    return [
        Endpoint("baseline: bare page", "page", "bench-bare-page", baseline=True),
        Endpoint("baseline: bare API view", "api", "bench-bare-api", baseline=True),
        Endpoint("reference: the layout alone", "page", "bench-layout-page", reference=True),
        Endpoint("catalogue page", "page", "home"),
        Endpoint("catalogue API", "api", "api-products"),
        Endpoint("buyer's order list page", "page", "order-list"),
        Endpoint("buyer's order list API", "api", "api-order-list"),
        Endpoint("after-sales details page", "page", "refund-detail", (fixture["refund"],)),
        Endpoint("seller center queue", "page", "seller-queue", who="merchant"),
        Endpoint("merchant dashboard page", "page", "penalty-dashboard", who="merchant"),
        Endpoint("merchant dashboard API", "api", "api-dashboard", who="merchant"),
        Endpoint(
            "admin intervention queue",
            "page",
            "admin:disputes_intervention_changelist",
            who="agent",
        ),
        Endpoint("refund list API (big shop)", "api", "api-refund-list", who="merchant"),
        Endpoint("refund detail API", "api", "api-refund-detail", (fixture["refund"],)),
        Endpoint(
            "refund filing POST", "api", "api-refund-list", who="poster", method="POST", expect=201
        ),
    ]


# --- the data set and the logins -------------------------------------------------------------


def load_fixture() -> dict:
    """The benchmark's accounts in the seeded database, their sessions and tokens, the refund
    the detail pages show and the orders the POST files requests on."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from benchmarks import seed
    from disputes.models import OPEN_REFUND_STATES, RefundRequest
    from orders.models import Order, OrderState

    users = get_user_model().objects
    try:
        buyer = users.get(username=seed.BENCH_BUYER)
        merchant = users.get(username=seed.BENCH_MERCHANT)
        agent = users.get(username=seed.BENCH_AGENT)
    except get_user_model().DoesNotExist as exc:
        raise BenchError("No benchmark accounts here: run manage.py seed_bench first.") from exc

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    tokens = dict(Token.objects.values_list("user__username", "key"))
    # The buyer's richest case: the request with the most audit entries, escalated if any.
    refund = (
        RefundRequest.objects.filter(buyer=buyer)
        .annotate(n=Count("intervention"))
        .order_by("-n", "-revision_count", "-pk")
        .first()
    )
    if refund is None:
        raise BenchError("The benchmark buyer has no after-sales request: seed more orders.")
    posts = []
    for username in sorted(tokens):
        if not username.startswith(seed.POSTER_PREFIX):
            continue
        orders = (
            Order.objects.filter(buyer__username=username, state=OrderState.DELIVERED)
            .exclude(refunds__state__in=OPEN_REFUND_STATES)
            .values_list("pk", "total")
        )
        posts += [(tokens[username], pk, str(total)) for pk, total in orders]
    # Interleave the posters, so that the clients' requests spread over their accounts.
    posts.sort(key=lambda p: p[1] % 997)
    return {
        "refund": refund.pk,
        "sessions": {
            "buyer": session(buyer),
            "merchant": session(merchant),
            "agent": session(agent),
        },
        "tokens": {
            "buyer": tokens[seed.BENCH_BUYER],
            "merchant": tokens[seed.BENCH_MERCHANT],
            "agent": tokens[seed.BENCH_AGENT],
        },
        "posts": posts,
        "big_shop_orders": Order.objects.filter(shop__name=seed.BIG_SHOP).count(),
    }


def resolve(points: list[Endpoint]) -> None:
    from django.urls import NoReverseMatch, reverse

    for e in points:
        try:
            e.path = reverse(e.url_name, args=e.args, urlconf="benchmarks.urls")
        except NoReverseMatch:
            e.path = None


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, *, database_url: str, workers: int, port: int):
        self.port = port
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "false",
        }
        self.process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/bench/bare/")  # a redirect to log in: nothing logged
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.3)
        raise BenchError("gunicorn did not answer within a minute")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def peak_rss_mib(self) -> float:
        """The largest peak resident set (VmHWM) among the workers."""
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return max(peaks, default=0.0)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- the load generator ----------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    kind: str
    path: str | None
    baseline: bool = False
    reference: bool = False
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    ratio: float | None = None

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def request_for(e: Endpoint, fixture: dict, posts: queue.Queue | None) -> Callable[[], tuple]:
    """A function that returns (method, path, body, headers) for the next request, or None
    when there is nothing left to send (the POST's orders ran out)."""
    if e.method == "POST":

        def next_post():
            try:
                token, order, total = posts.get_nowait()
            except queue.Empty:
                return None
            body = json.dumps(
                {
                    "order": order,
                    "kind": "refund_only",
                    "reason": "quality_problem",
                    "amount": total,
                    "description": "benchmark",
                }
            )
            headers = {
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            return "POST", e.path, body, headers

        return next_post
    if e.kind == "api":
        headers = {"Authorization": f"Token {fixture['tokens'][e.who]}"}
    else:
        headers = {"Cookie": f"sessionid={fixture['sessions'][e.who]}"}
    return lambda: ("GET", e.path, None, headers)


def drive(
    port: int,
    make: Callable[[], tuple | None],
    expect: int,
    *,
    clients: int,
    seconds: float,
    requests: int,
) -> tuple[list[float], float, list[str]]:
    """`clients` threads send requests until `requests` are done or `seconds` have passed."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    budget = [requests]
    stop_at = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < stop_at:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
                spec = make()
            if spec is None:
                return
            method, path, body, headers = spec
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                conn.close()
            except OSError as exc:
                with lock:
                    errors.append(f"{method} {path}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                if response.status == expect:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{method} {path}: {response.status} {content[:200]!r}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - began, errors


def measure_all(points: list[Endpoint], fixture: dict, port: int, args, out) -> list[Measure]:
    """Each endpoint in turn; the baselines both first and last, their figures pooled, so that
    a drift of the machine during the run weighs on the ratios' both sides alike."""
    posts: queue.Queue = queue.Queue()
    for p in fixture["posts"]:
        posts.put(p)
    results = []
    for e in points:
        m = Measure(e.name, e.kind, e.path, e.baseline, e.reference)
        results.append(m)
        if e.path is None:
            print(f"  {e.name:<34} not built yet ({e.url_name})", file=out, flush=True)
            continue
        measure(e, m, fixture, posts, port, args, out)
    for e, m in zip(points, results, strict=True):
        if e.baseline:
            measure(e, m, fixture, posts, port, args, out, again=True)
    baselines = {m.kind: m for m in results if m.baseline and m.latencies}
    for m in results:
        if m.latencies and not m.baseline and m.kind in baselines:
            m.ratio = m.rps / baselines[m.kind].rps
    return results


def measure(e: Endpoint, m: Measure, fixture, posts, port: int, args, out, again=False) -> None:
    """Warm up, then drive `e` and add what was measured to `m`."""
    make = request_for(e, fixture, posts)
    warm = min(args.warmup, posts.qsize() // 10) if e.method == "POST" else args.warmup
    drive(port, make, e.expect, clients=args.clients, seconds=args.seconds, requests=warm)
    latencies, seconds, errors = drive(
        port, make, e.expect, clients=args.clients, seconds=args.seconds, requests=args.requests
    )
    m.latencies += latencies
    m.seconds += seconds
    m.errors += errors
    print(
        f"  {e.name + (' (again, last)' if again else ''):<34} {len(latencies) / seconds:8.1f} "
        f"rps  p50 {m.percentile(50):6.1f} ms  p99 {m.percentile(99):6.1f} ms  "
        f"({len(latencies)} requests)",
        file=out,
        flush=True,
    )
    if m.errors:
        raise BenchError(f"{e.name}: {len(m.errors)} wrong answers, first: {m.errors[0]}")
    if not m.latencies:
        raise BenchError(f"{e.name}: no request completed")


def server_time(port: int, e: Endpoint, fixture: dict, n: int) -> float:
    """The median latency of `n` requests sent one at a time (ms): the server's own time."""
    make = request_for(e, fixture, None)
    latencies, _, errors = drive(port, make, e.expect, clients=1, seconds=120, requests=n)
    if errors or not latencies:
        raise BenchError(f"{e.name}: {errors[:1]}")
    return statistics.median(latencies) * 1000


# --- the sweep -------------------------------------------------------------------------------


def run_sweep(database_url: str, rows: int, repeat: int, out) -> list[dict]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
    }
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "sweep.json"
        command = [
            sys.executable,
            "-m",
            "benchmarks.deadline_sweep",
            "--rows",
            str(rows),
            "--repeat",
            str(repeat),
            "--json",
            str(target),
        ]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
        print(done.stdout, file=out)
        if done.returncode:
            raise BenchError(f"the deadline sweep failed: {done.stderr or done.stdout}")
        return json.loads(target.read_text())


# --- the report ------------------------------------------------------------------------------


def machine(database_vendor_version: str) -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    total = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 2**20
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu.group(1).strip() if cpu else "?",
        "memory": f"{total:.1f} GiB",
        "postgres": database_vendor_version,
        "python": sys.version.split()[0],
    }


def uptime() -> str:
    # In UTC: django.setup() sets this process's TZ to the project's time zone.
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run(["uptime"], capture_output=True, text=True, env=env)  # noqa: S607
    return done.stdout.strip()


TARGET_READ_RATIO, TARGET_POST_RATIO, TARGET_P99_MS = 0.40, 0.20, 150.0
TARGET_DASHBOARD_MS, TARGET_RSS_MIB = 50.0, 250.0


def verdicts(report: dict) -> list[tuple[str, str, str]]:
    """(target, measured, met?) for every target the run checks."""
    rows = []
    for m in report["measures"]:
        if m.baseline or m.reference or m.path is None:
            continue
        floor = TARGET_POST_RATIO if "POST" in m.name else TARGET_READ_RATIO
        met = m.ratio is not None and m.ratio >= floor
        p99 = m.percentile(99)
        text = f"{m.ratio:.0%} of baseline, p99 {p99:.0f} ms"
        if "POST" in m.name:
            rows.append((f"{m.name} ≥ {floor:.0%}", text, "yes" if met else "**no**"))
        else:
            ok = met and p99 < TARGET_P99_MS
            rows.append((f"{m.name} ≥ {floor:.0%}, p99 < 150 ms", text, "yes" if ok else "**no**"))
    sweep = {r["contender"]: r for r in report["sweep"] or []}
    if {"product", "raw_per_row", "raw_set_based"} <= sweep.keys():
        product = sweep["product"]["seconds"]
        vs_row = sweep["raw_per_row"]["seconds"] / product
        vs_set = sweep["raw_set_based"]["seconds"] / product
        rows.append(
            ("sweep ≥ 1.0× per-row raw SQL", f"{vs_row:.2f}×", "yes" if vs_row >= 1 else "**no**")
        )
        rows.append(
            (
                "sweep ≥ 25% of set-based raw SQL",
                f"{vs_set:.0%}",
                "yes" if vs_set >= 0.25 else "**no**",
            )
        )
    for name, ms in report["server_time"].items():
        rows.append(
            (
                f"{name} (shop of {report['big_shop_orders']:,} orders) < 50 ms",
                f"{ms:.1f} ms",
                "yes" if ms < TARGET_DASHBOARD_MS else "**no**",
            )
        )
    rss = report["peak_rss_mib"]
    rows.append(
        (
            "web worker peak RSS < 250 MB",
            f"{rss:.0f} MiB",
            "yes" if rss < TARGET_RSS_MIB else "**no**",
        )
    )
    return rows


def table(report: dict) -> str:
    lines = [
        "| endpoint | as | rps | p50 ms | p99 ms | × baseline | requests |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for m in report["measures"]:
        if m.path is None:
            lines.append(f"| {m.name} | {m.kind} | not built yet | | | | |")
            continue
        ratio = "1 (baseline)" if m.baseline else f"{m.ratio:.0%}" if m.ratio else "-"
        lines.append(
            f"| {m.name} | {m.kind} | {m.rps:.0f} | {m.percentile(50):.1f} | "
            f"{m.percentile(99):.1f} | {ratio} | {len(m.latencies)} |"
        )
    return "\n".join(lines)


def sweep_table(rows: list[dict]) -> str:
    by = {r["contender"]: r for r in rows}
    lines = [
        "| contender | rows | seconds (median) | rows/s | × product's speed |",
        "|---|---:|---:|---:|---:|",
    ]
    product = by.get("product", {}).get("seconds")
    for r in rows:
        rel = f"{product / r['seconds']:.2f}" if product else "-"
        lines.append(
            f"| {r['contender']} | {r['rows']:,} | {r['seconds']:.3f} | "
            f"{r['rows'] / r['seconds']:,.0f} | {rel} |"
        )
    return "\n".join(lines)


def markdown(report: dict) -> str:
    m = report["machine"]
    counts = ", ".join(f"{v:,} {k}" for k, v in report["counts"].items())
    lines = [
        START,
        f"Run at {report['started']} UTC with:",
        "",
        "```sh",
        report["command"],
        "```",
        "",
        f"- Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} memory, {m['postgres']}, "
        f"Python {m['python']}; gunicorn {report['workers']} sync workers, "
        f"{report['clients']} clients in the same machine.",
        f"- Load before: `{report['uptime_before']}`",
        f"- Load after: `{report['uptime_after']}`",
        f"- Data set: {counts}.",
        f"- Each endpoint: warm-up of {report['warmup']} requests, then at most "
        f"{report['requests']:,} requests or {report['seconds']:g} s.",
        "",
        "### Pages and API",
        "",
        table(report),
        "",
        *(
            [
                "### Deadline sweep",
                "",
                f"{report['sweep_rows']:,} overdue rejected refunds, in the database of its own "
                "(`benchmarks/deadline_sweep.py`; see `benchmarks/README.md`).",
                "",
                sweep_table(report["sweep"]),
                "",
            ]
            if report["sweep"]
            else []
        ),
        "### Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *[f"| {t} | {v} | {ok} |" for t, v, ok in verdicts(report)],
        END,
    ]
    return "\n".join(lines)


def write_report(path: Path, text: str) -> None:
    """Replace the figures between the markers, keeping the notes written around them."""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if START in old and END in old:
            before, rest = old.split(START, 1)
            after = rest.split(END, 1)[1]
            path.write_text(before + text + after, encoding="utf-8")
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Benchmarks\n\n{text}\n", encoding="utf-8")


# --- main ------------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument(
        "--sweep-database-url",
        default=DEFAULT_SWEEP_DATABASE,
        help="a database of its own: the sweep benchmark empties its tables",
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="first run seed_bench --orders N (the database must be empty)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0, help="per endpoint, at most")
    parser.add_argument("--requests", type=int, default=3000, help="per endpoint, at most")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--sweep-rows", type=int, default=10_000)
    parser.add_argument("--sweep-repeat", type=int, default=3)
    parser.add_argument(
        "--out",
        default=str(ROOT / "docs" / "BENCHMARKS.md"),
        help="the report to write ('-' for none)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="WORDS",
        help="measure only the endpoints whose name contains WORDS (and the baselines), and "
        "skip the sweep: for working on one page; repeatable",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds: tiny counts, to prove the benchmark still works",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.requests, args.warmup = 1.0, 10, 2
        args.sweep_rows, args.sweep_repeat, args.workers = 20, 1, 2
    return args


def main(argv: Sequence[str] | None = None, *, out=None) -> dict:
    out = out or sys.stdout
    args = parse(argv)
    from django.conf import settings

    if not settings.configured:  # run as a script: this process reads the seeded database too
        os.environ["DATABASE_URL"] = args.database_url
        os.environ.setdefault("DJANGO_DEBUG", "false")
    uptime_before = uptime()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    print(f"load before: {uptime_before}", file=out, flush=True)

    sweep = (
        None
        if args.only
        else run_sweep(args.sweep_database_url, args.sweep_rows, args.sweep_repeat, out)
    )

    import django

    django.setup()
    from django.db import connection

    from benchmarks.seed import seed

    if args.seed:
        seed(args.seed, log=lambda line: print(line, file=out, flush=True))
    fixture = load_fixture()
    points = [
        e
        for e in endpoints(fixture)
        if e.baseline or e.reference or not args.only or any(w in e.name for w in args.only)
    ]
    resolve(points)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = f"PostgreSQL {cursor.fetchone()[0]}"
    from disputes.models import Intervention, RefundRequest
    from merchants.models import Shop
    from orders.models import Order

    counts = {
        "orders": Order.objects.count(),
        "shops": Shop.objects.count(),
        "after-sales requests": RefundRequest.objects.count(),
        "interventions": Intervention.objects.count(),
    }
    connection.close()

    port = free_port()
    server = Server(database_url=args.database_url, workers=args.workers, port=port)
    try:
        server.wait_ready()
        print(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{port}; {args.clients} clients",
            file=out,
            flush=True,
        )
        measures = measure_all(points, fixture, port, args, out)
        timed = {}
        for e in points:
            if e.url_name in ("penalty-dashboard", "api-dashboard") and e.path:
                timed[e.name] = server_time(port, e, fixture, 5 if args.smoke else 50)
        peak = server.peak_rss_mib()
    finally:
        server.stop()
    report = {
        "started": started,
        "command": " ".join(
            ["python -m benchmarks.run", *(argv if argv is not None else sys.argv[1:])]
        ),
        "machine": machine(version),
        "uptime_before": uptime_before,
        "uptime_after": uptime(),
        "counts": counts,
        "workers": args.workers,
        "clients": args.clients,
        "seconds": args.seconds,
        "requests": args.requests,
        "warmup": args.warmup,
        "measures": measures,
        "sweep": sweep,
        "sweep_rows": args.sweep_rows,
        "server_time": timed,
        "peak_rss_mib": peak,
        "big_shop_orders": fixture["big_shop_orders"],
    }
    text = markdown(report)
    print(text, file=out)
    if args.out != "-":
        write_report(Path(args.out), text)
    return report


if __name__ == "__main__":
    try:
        main()
    except BenchError as exc:
        sys.exit(f"FAILED: {exc}")

"""The marketplace benchmark still runs end to end (smoke mode, no timings asserted).

PostgreSQL only: the data set is written with COPY, and gunicorn must reach the same database.
The run seeds the (empty) test database, serves it with gunicorn, drives every endpoint that is
built and checks each answer, runs the deadline sweep against its baselines, and writes the
report between its markers.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from benchmarks import run
from merchants.models import Shop

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_url():
    if connection.vendor != "postgresql":
        pytest.skip("seed_bench writes with PostgreSQL's COPY")
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def test_the_smoke_run_measures_every_built_endpoint_and_writes_the_report(database_url, tmp_path):
    # given a report with notes around the figures of an earlier run
    report = tmp_path / "BENCHMARKS.md"
    report.write_text(
        "# Benchmarks\n\nNotes before.\n\n<!-- figures:start -->old<!-- figures:end -->\n\nNotes after.\n"
    )

    # when
    out = StringIO()
    result = run.main(
        ["--smoke", "--seed", "300", "--database-url", database_url,
         "--sweep-database-url", database_url, "--out", str(report)],
        out=out,
    )  # fmt: skip

    # then every built endpoint answered as expected, compared with its baseline
    measured = {m.name: m for m in result["measures"]}
    assert measured["baseline: bare page"].latencies
    assert measured["baseline: bare API view"].latencies
    for name in ("catalogue page", "refund detail API", "refund filing POST"):
        assert measured[name].latencies and measured[name].ratio > 0
        assert not measured[name].errors
    assert {r["contender"] for r in result["sweep"]} == {"product", "raw_per_row", "raw_set_based"}
    assert result["peak_rss_mib"] > 0
    text = report.read_text()
    assert text.startswith("# Benchmarks\n\nNotes before.")
    assert text.rstrip().endswith("Notes after.")
    assert "old" not in text
    assert "| refund filing POST | api |" in text
    assert "| sweep ≥ 1.0× per-row raw SQL |" in text


def test_seed_bench_refuses_a_database_that_holds_data(database_url):
    # given
    Shop.objects.create(name="someone's real shop")

    # when / then
    with pytest.raises(CommandError, match="already hold rows"):
        call_command("seed_bench", "--orders", "300")
    assert Shop.objects.count() == 1

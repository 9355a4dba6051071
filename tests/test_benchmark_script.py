"""The deadline-sweep benchmark still runs and still checks its contenders' work (no timings).

Transactional: the benchmark empties the order, refund, audit and notification tables between
runs (TRUNCATE on PostgreSQL, which the audit trail's trigger allows).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.db import connection

from benchmarks import deadline_sweep as bench

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_benchmark_runs_every_contender_and_its_checks_pass():
    # when
    out = StringIO()
    results = bench.main(["--rows", "30", "--repeat", "1", "--batch-size", "7"], out=out)

    # then
    expected = ["product", "raw_per_row"]
    if connection.vendor == "postgresql":
        expected.append("raw_set_based")
    assert [r.contender for r in results] == expected
    assert all(len(r.seconds) == 1 and r.rows == 30 for r in results)
    assert "all runs checked: 30 refunds closed, 30 auto_close entries" in out.getvalue()


def test_the_check_fails_loudly_when_a_contender_leaves_rows_open():
    # given an overdue fixture that nothing has swept
    fixture = bench.Fixture(
        rows=5,
        now=bench.timezone.now(),
        buyer_id=bench.get_user_model().objects.create(username="b").pk,
        shop_id=bench.Shop.objects.create(name="s").pk,
    )
    bench._build(fixture)

    # when / then
    with pytest.raises(bench.BenchmarkError, match="0 of 5 refunds closed"):
        bench._check(fixture, "idle", notified=False)


def test_the_benchmark_refuses_a_database_that_holds_refunds(wf):
    # given a real refund that the benchmark's TRUNCATE would destroy
    wf.file(wf.order("shipped"))

    # when / then
    with pytest.raises(bench.BenchmarkError, match="Refusing to run"):
        bench.main(["--rows", "3", "--repeat", "1"], out=StringIO())

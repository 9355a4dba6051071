from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from benchmarks.seed import SeedRefused, seed


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated PostgreSQL database with a marketplace of N orders for the "
        "benchmarks (N/200 shops, N/5 buyers, 10%% of orders with after-sales requests, 2%% "
        "with platform interventions, rulings, penalties and restrictions, every change "
        "audited), written with COPY. Refuses a database that already holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=1_000_000)
        parser.add_argument("--random-seed", type=int, default=12)

    def handle(self, *args, orders, random_seed, **options):
        if orders < 100:
            raise CommandError("--orders must be at least 100.")
        try:
            seed(orders, random_seed=random_seed, log=self.stdout.write)
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc

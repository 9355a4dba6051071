"""Development on one machine: SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Development only: the benchmarks' commands (seed_bench, bench), and the demo data with the
# workflow driver it shares with the tests.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks", "demo"]  # noqa: F405

"""Development on one machine: SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# The benchmarks' commands (seed_bench, bench): development only.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405

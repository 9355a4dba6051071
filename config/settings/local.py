"""Development on one machine: SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, api_renderers, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": api_renderers(DEBUG)}

# Development only: the benchmarks' commands (seed_bench, bench), and the demo data with the
# workflow driver it shares with the tests.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks", "demo"]  # noqa: F405

from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The benchmarks' commands (seed_bench, bench): installed in development and tests only."""

    name = "benchmarks"
    default_auto_field = "django.db.models.BigAutoField"

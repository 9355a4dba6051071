from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development only (config.settings.local and test): the demo data and the workflow
    driver it shares with the tests. At the top of the import graph; nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"

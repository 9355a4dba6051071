from django.apps import AppConfig


class PublicConfig(AppConfig):
    """What anyone may read: a shop's public page, the rules page and the state diagrams it
    shows. No models."""

    name = "public"
    verbose_name = "Public pages"

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_platform_groups(sender, using="default", **kwargs):
    # After the last domain app has migrated, so that every view permission exists.
    from core.roles import DOMAIN_APPS, ensure_platform_groups

    if sender.label == DOMAIN_APPS[-1]:
        ensure_platform_groups()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self):
        post_migrate.connect(_create_platform_groups, dispatch_uid="core.platform_groups")

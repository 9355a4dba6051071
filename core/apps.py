from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
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
        from django.db.models import fields

        from core.auth import count_failed_login

        # Django 6.1's new empty choice ("- Select an option -") has no zh-hans words in
        # Django's own catalogue yet; Django names this the place to give it ours.
        fields.BLANK_CHOICE_LABEL = _("- Choose -")

        post_migrate.connect(_create_platform_groups, dispatch_uid="core.platform_groups")
        user_login_failed.connect(count_failed_login, dispatch_uid="core.count_failed_login")

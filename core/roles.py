"""Who a user is to the platform. Agents and supervisors are staff users in named groups."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

AGENTS_GROUP = "Platform agents"
SUPERVISORS_GROUP = "Platform supervisors"


def _group_names(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_platform_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._platform_group_names = cached
    return cached


def is_supervisor(user) -> bool:
    return bool(user.is_authenticated and user.is_staff) and (
        user.is_superuser or SUPERVISORS_GROUP in _group_names(user)
    )


def is_agent(user) -> bool:
    """Supervisors can do everything an agent can."""
    return bool(user.is_authenticated and user.is_staff) and (
        user.is_superuser or bool({AGENTS_GROUP, SUPERVISORS_GROUP} & _group_names(user))
    )


DOMAIN_APPS = ("core", "merchants", "orders", "penalties", "disputes")  # INSTALLED_APPS order


def ensure_platform_groups():
    """The two staff groups, allowed to view the domain's models in the admin (agents and
    supervisors act through the services, never by editing rows). Idempotent."""
    from django.contrib.auth.models import Group, Permission

    view = Permission.objects.filter(
        codename__startswith="view_", content_type__app_label__in=DOMAIN_APPS
    )
    groups = []
    for name in (AGENTS_GROUP, SUPERVISORS_GROUP):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*view)
        groups.append(group)
    return groups[0], groups[1]

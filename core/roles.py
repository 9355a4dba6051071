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

"""Who a user is to the platform. Agents and supervisors are staff users in named groups."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from core.models import ActorRole

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


def actor_role_on(target, user) -> str:
    """The role `user` acts in on `target`: a party of the row, when the target's model tells
    (its `party_role_of(user)`: buyer or merchant), else the platform role (a supervisor is
    audited as a supervisor even where an agent could act)."""
    party_role_of = getattr(target, "party_role_of", None)
    role = party_role_of(user) if party_role_of is not None else None
    if role:
        return role
    if is_supervisor(user):
        return ActorRole.SUPERVISOR
    if is_agent(user):
        return ActorRole.AGENT
    raise ValueError(f"{user} holds no role on {target!r}")


DOMAIN_APPS = ("core", "merchants", "orders", "penalties", "disputes")  # INSTALLED_APPS order

# The models each group may view in the admin, as "app.model". Nobody may add, change or
# delete there: agents and supervisors act through the services' actions and forms. The
# payments, the audit trail (shown on each case page), the outbox and idempotency keys stay with
# supervisors or superusers.
AGENT_VIEWS = (
    "disputes.intervention",
    "disputes.refundrequest",
    "disputes.evidence",
    "disputes.message",
    "disputes.messageimage",
    "disputes.ruling",
    "orders.order",
    "orders.orderitem",
    "orders.orderitemimage",
    "merchants.shop",
)
SUPERVISOR_VIEWS = (
    *AGENT_VIEWS,
    "disputes.appeal",
    "disputes.refundpayment",
    "disputes.platformreimbursement",
    "penalties.penaltyrecord",
    "penalties.restriction",
    "core.auditentry",
    "core.outboxmessage",  # work given up on (an e-mail that could not be sent), with why
)


def ensure_platform_groups():
    """The two staff groups with exactly their view permissions (extra ones are taken away).
    Idempotent: runs after every migrate."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    def view_permissions(labels):
        condition = Q(pk__in=[])
        for label in labels:
            app_label, model = label.split(".")
            condition |= Q(
                codename=f"view_{model}",
                content_type__app_label=app_label,
                content_type__model=model,
            )
        return Permission.objects.filter(condition)

    groups = []
    for name, labels in ((AGENTS_GROUP, AGENT_VIEWS), (SUPERVISORS_GROUP, SUPERVISOR_VIEWS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(view_permissions(labels))
        groups.append(group)
    return groups[0], groups[1]

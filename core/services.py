"""Writes every app needs: the audit trail and notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import ActorRole, AuditEntry, Notification


def audit_record(
    *,
    target: models.Model,
    action: str,
    actor,
    actor_role: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> AuditEntry:
    """Append one entry to the audit trail; `actor` is None for the system."""
    if actor is None:
        actor_role = ActorRole.SYSTEM
    return AuditEntry.objects.create(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        actor_role=actor_role,
        note=note,
    )


def notify(*, recipients: Iterable, kind: str, message: str, target: models.Model) -> None:
    """Write an in-app notification to each recipient, once per user."""
    target_type = ContentType.objects.get_for_model(target)
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                message=message[:500],
                target_type=target_type,
                target_id=target.pk,
            )
        )
    Notification.objects.bulk_create(rows)

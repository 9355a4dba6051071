"""Values every page's layout needs."""

from __future__ import annotations

from core.selectors import unread_notification_count


def unread_notifications(request) -> dict:
    """The badge on the notifications link: one COUNT query, and none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_notification_count(user)}

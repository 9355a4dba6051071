from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from core.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


# The badge every page shows. Building this COUNT through the ORM costs the web process about
# four times the CPU of sending it (0.37 ms against 0.08 ms a page, issue 12), so it is
# written out: the query `notifications_for(user).filter(read_at__isnull=True).count()` makes.
_UNREAD_COUNT_SQL = (
    'SELECT COUNT(*) FROM "core_notification" WHERE "recipient_id" = %s AND "read_at" IS NULL'
)


def unread_notification_count(user) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_COUNT_SQL, [user.pk])
        return cursor.fetchone()[0]

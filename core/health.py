"""The health endpoint for load balancers and container health checks."""

from __future__ import annotations

import logging

from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health: the database does not answer")
        return False


def _broker() -> bool:
    try:
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("health: the broker does not answer")
        return False
    return True


@never_cache
@require_GET
def health(request):
    """200 when the database (and, where jobs go through a broker, the broker) answers; 503
    naming what failed otherwise. Says nothing else about the installation."""
    checks = {"database": _database()}
    if settings.HEALTH_CHECK_BROKER:
        checks["broker"] = _broker()
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "unavailable" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)

"""The health endpoint for load balancers and container health checks."""

from __future__ import annotations

import logging

from celery import current_app
from django.conf import settings
from django.core.cache import cache
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


def _cache() -> bool | None:
    """Whether the shared cache answers; None where the cache is this process's memory."""
    available = getattr(cache, "available", None)
    return available() if available else None


@never_cache
@require_GET
def health(request):
    """Whether what the platform stands on answers, naming each part; says nothing else about
    the installation. 503 only when the database does not answer: without it nothing works.
    Redis (the broker, the shared cache) failing is "degraded", 200: pages and writes go on
    (the outbox keeps the work, each process counts its own rate limits), so a load balancer
    must not take every web process away for it."""
    checks = {"database": _database()}
    if settings.HEALTH_CHECK_BROKER:
        checks["broker"] = _broker()
    if (shared_cache := _cache()) is not None:
        checks["cache"] = shared_cache
    if not checks["database"]:
        status = "unavailable"
    else:
        status = "ok" if all(checks.values()) else "degraded"
    body = {"status": status}
    body.update({name: "ok" if ok else "unavailable" for name, ok in checks.items()})
    return JsonResponse(body, status=503 if status == "unavailable" else 200)

"""Answers for machines, not visitors: the health check and the benchmark's ceiling."""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """For load balancers and monitors: 200 when the database and the cache answer, else 503."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        checks["database"] = "unavailable"
    try:
        cache.set("portal:healthz", "ok", 10)
        if cache.get("portal:healthz") != "ok":
            raise RuntimeError("the cache lost a value")
    except Exception:  # any backend's own errors (Redis connection, timeout, ...)
        logger.exception("Health check: the cache does not answer")
        checks["cache"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def ceiling(request):
    """A constant answer through the whole middleware stack: `make bench` measures the most
    this server can do, to compare every real page and endpoint with."""
    return JsonResponse({"status": "ok"})

"""Answers for machines, not visitors: the health check and the benchmark's ceiling."""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """For load balancers and monitors: 503 when the database does not answer, else 200.

    A cache that does not answer is reported ("cache": "unavailable", "status": "degraded")
    but keeps the 200: the portal serves without it (core/cache.py), and a cache shared by
    every app server would otherwise take them all out of rotation at once.
    """
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
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif checks["cache"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, **checks}, status=code)


def ceiling(request):
    """A constant answer through the whole middleware stack: `make bench` measures the most
    this server can do, to compare every real page and endpoint with."""
    return JsonResponse({"status": "ok"})

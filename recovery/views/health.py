"""/healthz: is the database, the broker and at least one worker up? For load balancers and ``make run``."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from recovery.audit import serves
from recovery.celery import app


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _broker() -> str:
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel.client.ping()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def _worker() -> str:
    try:
        replies = app.control.inspect(timeout=1.0).ping()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok" if replies else "error: no worker answered"


@never_cache
@serves("GET")
def healthz(request):
    parts = {"database": _database(), "broker": _broker()}
    parts["worker"] = _worker() if parts["broker"] == "ok" else "error: broker down"
    status = 200 if all(value == "ok" for value in parts.values()) else 503
    return JsonResponse(parts, status=status)

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "lantern:worker-heartbeat"


@shared_task(time_limit=30, soft_time_limit=20)
def heartbeat() -> float:
    """Record that a worker is alive and consuming the queue (run by beat every 30 seconds)."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now

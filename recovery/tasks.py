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


@shared_task(time_limit=600, soft_time_limit=540)
def deliver_due_emails(batch: int = 50, max_batches: int = 20) -> int:
    """Send the notification emails that are due; each is claimed first, so it goes out once."""
    from recovery.notify import claim_due_emails, email_deliver

    sent = 0
    for _ in range(max_batches):
        claimed = claim_due_emails(batch)
        if not claimed:
            break
        sent += sum(email_deliver(notification) for notification in claimed)
    return sent

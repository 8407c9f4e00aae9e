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
    """Send the notification emails that are due, one email per recipient; each notification is claimed
    first, so it is emailed once. Returns the number of emails sent."""
    from recovery.notify import by_recipient, claim_due_emails, email_deliver

    sent = 0
    for _ in range(max_batches):
        claimed = claim_due_emails(batch)
        if not claimed:
            break
        sent += sum(email_deliver(group) for group in by_recipient(claimed))
    return sent

"""The project's own Celery tasks: the worker heartbeat and notification emails.

Reminder sweeps are each app's: ``peers.tasks``, ``clients.tasks`` and ``supervision.tasks`` (their beat
entries are in settings' ``CELERY_BEAT_SCHEDULE``). This module imports ``recovery.notify_email`` only;
``recovery.notify`` imports it to enqueue ``deliver_due_emails`` (one direction, no cycle).
"""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache

from recovery.notify_email import emails_deliver_due

HEARTBEAT_KEY = "lantern:worker-heartbeat"


@shared_task(time_limit=30, soft_time_limit=20)
def heartbeat() -> float:
    """Record that a worker is alive and consuming the queue (run by beat every 30 seconds)."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@shared_task(time_limit=600, soft_time_limit=540)
def deliver_due_emails(batch: int = 50, max_batches: int = 100) -> int:
    """Send the notification emails that are due, each once (``notify_email.emails_deliver_due``)."""
    return emails_deliver_due(batch, max_batches)

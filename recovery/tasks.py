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


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_reminders() -> int:
    """Beat's entry point: one task per program and sweep, so a slow program delays no other."""
    from recovery.models import Program
    from recovery.reminders import SWEEPS

    program_ids = list(Program.objects.filter(is_active=True).values_list("pk", flat=True))
    for program_id in program_ids:
        for dotted in SWEEPS:
            run_reminder_sweep.delay(dotted, program_id)
    return len(program_ids) * len(SWEEPS)


@shared_task(time_limit=1800, soft_time_limit=1700)
def run_reminder_sweep(dotted: str, program_id: int) -> int:
    """Run one sweep for one program. Safe to run twice, or twice at once: each reminder is claimed."""
    from recovery.models import Program
    from recovery.reminders import SWEEPS, sweep_run

    if dotted not in SWEEPS:
        raise ValueError(f"unknown sweep {dotted!r}")
    program = Program.objects.filter(pk=program_id, is_active=True).first()
    return sweep_run(dotted, program) if program else 0

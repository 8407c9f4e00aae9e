"""Celery tasks of the supervision app: supervision reminders and the weekly digest
(recovery/reminders.py explains sweeps).

Beat runs ``sweep_reminders`` (settings' ``CELERY_BEAT_SCHEDULE``); it enqueues one task per sweep and
active program. Each sweep task takes a program id and is safe to run twice, or twice at once.
"""

from __future__ import annotations

from celery import shared_task

from recovery.reminders import sweep_run_for_program, sweeps_enqueue
from supervision import reminders

SWEEP_LIMITS = {"time_limit": 1800, "soft_time_limit": 1700}


@shared_task(**SWEEP_LIMITS)
def supervision_overdue_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.supervision_overdue, program_id)


@shared_task(**SWEEP_LIMITS)
def weekly_digest_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.weekly_digest, program_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_reminders() -> int:
    """Beat's entry point for the supervision reminders."""
    return sweeps_enqueue([supervision_overdue_sweep, weekly_digest_sweep])

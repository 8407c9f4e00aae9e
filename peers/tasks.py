"""Celery tasks of the peers app: the staff reminder sweeps (recovery/reminders.py explains sweeps).

Beat runs ``sweep_reminders`` (settings' ``CELERY_BEAT_SCHEDULE``); it enqueues one task per sweep and
active program. Each sweep task takes a program id and is safe to run twice, or twice at once.
"""

from __future__ import annotations

from celery import shared_task

from peers import reminders
from recovery.reminders import sweep_run_for_program, sweeps_enqueue

SWEEP_LIMITS = {"time_limit": 1800, "soft_time_limit": 1700}


@shared_task(**SWEEP_LIMITS)
def credential_expiry_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.credential_expiry, program_id)


@shared_task(**SWEEP_LIMITS)
def ce_short_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.ce_short, program_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_reminders() -> int:
    """Beat's entry point for the staff reminders."""
    return sweeps_enqueue([credential_expiry_sweep, ce_short_sweep])

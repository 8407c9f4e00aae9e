"""Celery tasks of the outcomes app: its reminder sweeps (recovery/reminders.py explains sweeps)."""

from __future__ import annotations

from celery import shared_task

from outcomes import reminders
from recovery.reminders import sweep_run_for_program, sweeps_enqueue

SWEEP_LIMITS = {"time_limit": 1800, "soft_time_limit": 1700}


@shared_task(**SWEEP_LIMITS)
def checkin_due_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.checkin_due, program_id)


@shared_task(**SWEEP_LIMITS)
def gpra_window_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.gpra_window, program_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_reminders() -> int:
    """Beat's entry point for the outcome reminders."""
    return sweeps_enqueue([checkin_due_sweep, gpra_window_sweep])

"""Celery tasks of the referrals app: its reminder sweep (recovery/reminders.py explains sweeps)."""

from __future__ import annotations

from celery import shared_task

from recovery.reminders import sweep_run_for_program, sweeps_enqueue
from referrals import reminders


@shared_task(time_limit=1800, soft_time_limit=1700)
def referral_no_update_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.referral_no_update, program_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_reminders() -> int:
    """Beat's entry point for the referral reminders."""
    return sweeps_enqueue([referral_no_update_sweep])

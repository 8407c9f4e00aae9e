"""Celery tasks of the clients app: the participant reminder sweeps (recovery/reminders.py explains
sweeps).

Beat runs ``sweep_reminders`` (settings' ``CELERY_BEAT_SCHEDULE``); it enqueues one task per sweep and
active program. Each sweep task takes a program id and is safe to run twice, or twice at once.
"""

from __future__ import annotations

from celery import shared_task

from clients import reminders
from recovery.reminders import sweep_run_for_program, sweeps_enqueue

SWEEP_LIMITS = {"time_limit": 1800, "soft_time_limit": 1700}


@shared_task(**SWEEP_LIMITS)
def consent_expiring_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.consent_expiring, program_id)


@shared_task(**SWEEP_LIMITS)
def plan_review_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.plan_review, program_id)


@shared_task(**SWEEP_LIMITS)
def followup_due_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.followup_due, program_id)


@shared_task(**SWEEP_LIMITS)
def no_contact_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.no_contact, program_id)


@shared_task(**SWEEP_LIMITS)
def draft_notes_sweep(program_id: int) -> int:
    return sweep_run_for_program(reminders.draft_notes, program_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_reminders() -> int:
    """Beat's entry point for the participant reminders."""
    return sweeps_enqueue([consent_expiring_sweep, plan_review_sweep, followup_due_sweep, no_contact_sweep,
                           draft_notes_sweep])

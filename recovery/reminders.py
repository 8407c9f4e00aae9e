"""Reminder sweeps: find what is due, turn it into notifications, exactly once.

Each sweep is a function ``(program, today) -> Iterator[list[Draft]]`` in its app's ``reminders.py``,
listed in ``SWEEPS``. It reads what is due with indexed queries, a fixed number per batch of rows
(never per row), and yields the notifications to send; ``sweep_run`` hands each batch to
``recovery.notify.notifications_send``, whose dedupe keys (kind, object, threshold or period, per
recipient) make a rerun, an overlapping run or a redelivered task a no-op.

``today`` is the program's own date (``Program.today()``): "due today" means today where the program is.
Texts never name a participant: "A consent expires in 30 days" with a link to the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db import transaction
from django.utils.module_loading import import_string

from recovery.models import Membership, Program
from recovery.notify import Draft, notifications_send

SWEEPS: list[str] = [
    "peers.reminders.credential_expiry",
    "peers.reminders.ce_short",
    "clients.reminders.consent_expiring",
    "clients.reminders.plan_review",
    "clients.reminders.followup_due",
    "clients.reminders.no_contact",
    "clients.reminders.draft_notes",
    "supervision.reminders.supervision_overdue",
    "supervision.reminders.weekly_digest",
]

BATCH = 1000


def sweep_run(dotted: str, program: Program, today: date | None = None) -> int:
    """Run one sweep for one program; each batch commits on its own. Returns notifications created."""
    sweep = import_string(dotted)
    today = today or program.today()
    created = 0
    for drafts in sweep(program, today):
        with transaction.atomic():
            created += notifications_send(drafts)
    return created


def batched(queryset, size: int = BATCH) -> Iterator[list]:
    """Rows of ``queryset`` in primary-key order, ``size`` at a time (keyset pagination: one query each)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def admin_ids(program: Program) -> list[int]:
    return list(
        Membership.objects.filter(program=program, role=Membership.Role.ADMIN, is_active=True, user__is_active=True)
        .values_list("user_id", flat=True)
    )


def supervisor_of(program: Program) -> dict[int, int]:
    """Each active staff member's supervisor in ``program`` (user id → supervisor's user id)."""
    return dict(
        Membership.objects.filter(program=program, is_active=True, supervisor__isnull=False)
        .values_list("user_id", "supervisor_id")
    )


def days_text(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def drafts_for(recipients, **fields) -> list[Draft]:
    """The same notification for several people (each once, whoever they are)."""
    return [Draft(recipient_id=r, **fields) for r in dict.fromkeys(r for r in recipients if r)]

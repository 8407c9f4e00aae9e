"""Reminder sweeps: find what is due, turn it into notifications, exactly once.

Each sweep is a function ``(program, today) -> Iterator[list[Draft]]`` in its app's ``reminders.py``;
the app adds it to ``SWEEPS`` in its ``AppConfig.ready()`` (recovery imports no app) and runs it from a
Celery task of its own ``tasks.py``, one per sweep, taking a program id (``sweep_run_for_program``); the
app's ``sweep_reminders`` task, on beat, enqueues them for every active program (``sweeps_enqueue``).
It reads what is due with indexed queries, a fixed number per batch of rows
(never per row; ``batched``), and yields the notifications to send; ``sweep_run`` hands each batch to
``recovery.notify.notifications_send``, whose dedupe keys (kind, object, threshold or period, per
recipient) make a rerun, an overlapping run or a redelivered task a no-op.

``today`` is the program's own date (``Program.today()``): "due today" means today where the program is.
Texts never name a participant: "A consent expires in 30 days" with a link to the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from celery import Task
from django.db import transaction
from django.urls import reverse

from recovery.db import id_in
from recovery.models import Membership, Program
from recovery.notify import Draft, notifications_send

Sweep = Callable[[Program, date], Iterator[list[Draft]]]

# Every app's sweeps, added by the apps' AppConfig.ready() in INSTALLED_APPS order (peers, clients,
# supervision). For whatever runs them all: tests, ``benchmark_reminders``.
SWEEPS: list[Sweep] = []

BATCH = 1000


def sweeps_enqueue(tasks: Iterable[Task]) -> int:
    """Enqueue each sweep task for each active program (one task each, so a slow program delays no
    other). Returns the number of tasks enqueued."""
    program_ids = list(Program.objects.filter(is_active=True).values_list("pk", flat=True))
    tasks = list(tasks)
    for program_id in program_ids:
        for task in tasks:
            task.delay(program_id)
    return len(program_ids) * len(tasks)


def sweep_run_for_program(sweep: Sweep, program_id: int) -> int:
    """What each sweep task does: run ``sweep`` for the program, if it is still active."""
    program = Program.objects.filter(pk=program_id, is_active=True).first()
    return sweep_run(sweep, program) if program else 0


def sweep_run(sweep: Sweep, program: Program, today: date | None = None) -> int:
    """Run one sweep for one program; each batch commits on its own. Returns notifications created."""
    today = today or program.today()
    created = 0
    for drafts in sweep(program, today):
        with transaction.atomic():
            created += notifications_send(drafts)
    return created


def batched(queryset, size: int = BATCH) -> Iterator[list]:
    """Rows of ``queryset`` in primary-key order, ``size`` at a time: the matching ids in one query, then
    each batch's rows by id (one query each).

    A sweep's filter is often computed per row (a check-in's due date, a participant's last contact):
    keyset pages (``pk > last ORDER BY pk LIMIT size``) had PostgreSQL compute it for every remaining row
    again for each batch, so a sweep with many rows due read the program N times over."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield list(queryset.filter(id_in(ids[start:start + size])).order_by("pk"))


_UUID_MARK = "00000000-0000-4000-8000-000000000000"


def uuid_urls(viewname: str) -> Callable[[object], str]:
    """``reverse(viewname, args=[uuid])`` for the many rows of a sweep: reversed once, each row's uuid put
    in by text (reverse() per row was seconds of a sweep of thousands of rows)."""
    template = reverse(viewname, args=[_UUID_MARK])
    return lambda uuid: template.replace(_UUID_MARK, str(uuid))


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

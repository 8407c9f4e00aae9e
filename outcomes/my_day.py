"""My day: the peer's participants with a recovery check-in due, or coming due this week (one query, its
total as a window count)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Window

from clients.models import Client
from clients.my_day import WEEK, for_caseload
from outcomes import schedule
from recovery.audit import log_access
from recovery.compiled import compiled_list, record_key
from recovery.models import AccessLog
from recovery.scoping import scope_key

SHOWN = 15


def section(request) -> dict | None:
    """For whoever carries participants in the current program; None for anyone else."""
    if not for_caseload(request):
        return None
    user, program = request.user, request.membership.program
    today = program.today()
    settings = schedule.OutcomeSettings.of(program)
    instrument = schedule.scheduled_instrument(settings)
    if instrument is None:
        return None

    def build():
        mine = Client.objects.visible_to(user).filter(program=program, primary_peer=user)
        due = schedule.checkins_due(program, today + datetime.timedelta(days=WEEK), mine,
                                    settings=settings, instrument=instrument)
        return (due.select_related(None).annotate(total=Window(Count("pk")))
                .order_by("checkin_due_on", "name_key")[:SHOWN])

    # The SQL depends on the scope, the program, the day and the schedule (recovery.compiled).
    rows = compiled_list(("outcomes.my_day", scope_key(user), record_key(program), today, record_key(settings),
                          instrument.pk), build)
    if rows:
        log_access(request, "outcomes.my_day", action=AccessLog.Action.LIST, program_id=program.pk)
    return {"rows": [(c, (today - c.checkin_due_on).days) for c in rows], "total": rows[0].total if rows else 0}

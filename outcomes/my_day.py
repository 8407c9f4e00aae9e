"""My day: the peer's participants with a recovery check-in due, or coming due this week (one query, its
total as a window count)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Window

from clients.models import Client
from clients.my_day import WEEK, for_caseload
from outcomes import schedule
from recovery.audit import log_access
from recovery.models import AccessLog

SHOWN = 15


def section(request) -> dict | None:
    """For whoever carries participants in the current program; None for anyone else."""
    if not for_caseload(request):
        return None
    user, program = request.user, request.membership.program
    mine = Client.objects.visible_to(user).filter(program=program, primary_peer=user)
    today = program.today()
    due = schedule.checkins_due(program, today + datetime.timedelta(days=WEEK), mine)
    if due is None:
        return None
    rows = list(due.select_related(None).annotate(total=Window(Count("pk")))
                .order_by("checkin_due_on", "name_key")[:SHOWN])
    if rows:
        log_access(request, "outcomes.my_day", action=AccessLog.Action.LIST, program_id=program.pk)
    return {"rows": [(c, (today - c.checkin_due_on).days) for c in rows], "total": rows[0].total if rows else 0}

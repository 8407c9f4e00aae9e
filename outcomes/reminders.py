"""Reminders about outcomes (recovery/reminders.py explains sweeps): check-ins due and GPRA windows.

Titles never name the participant; each reminder is sent once per dedupe key whatever the number of runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from outcomes import gpra, schedule
from outcomes.models import CheckIn, OutcomeSettings
from recovery.models import Program
from recovery.notify import Draft
from recovery.reminders import batched, days_text, uuid_urls


# Titles are deferred (``partial``; ``lazy()`` builds a class per call): each is written in its recipient's
# language when it is stored.
def _checkin_title(occasion: str) -> str:
    return _("A recovery check-in is due (%(occasion)s)") % {"occasion": str(CheckIn.Occasion(occasion).label).lower()}


def _closing_title(days_left: int) -> str:
    return _("A GPRA follow-up window closes %(when)s") % {"when": days_text(days_left)}


def checkin_due(program: Program, today: date) -> Iterator[list[Draft]]:
    """A check-in that falls due (intake, every N days, discharge): the primary peer, once per participant
    and due date."""
    due = schedule.checkins_due(program, today, Client.objects.carried())
    if due is None:
        return
    url = uuid_urls("clients:detail")
    for rows in batched(due.only("uuid", "primary_peer_id")):
        yield [
            Draft(recipient_id=client.primary_peer_id, kind="checkin_due", program_id=program.pk,
                  title=partial(_checkin_title, client.checkin_occasion),
                  url=url(client.uuid), client_uuid=client.uuid,
                  dedupe_key=f"checkin_due:{client.uuid}:{client.checkin_due_on}")
            for client in rows
        ]


def gpra_window(program: Program, today: date) -> Iterator[list[Draft]]:
    """A follow-up window opens, and 30 days before it closes: the primary peer, once each per window."""
    settings = OutcomeSettings.of(program)
    if not settings.gpra_enabled:
        return
    rows = gpra.windows(program, settings, today, Client.objects.carried())
    drafts = []
    for row in rows:
        if row.state != gpra.DUE:
            continue
        client = row.client
        drafts.append(Draft(recipient_id=client.primary_peer_id, kind="gpra_window", program_id=program.pk,
                            title=gettext_lazy("A GPRA follow-up window is open"), url=row.url, client_uuid=client.uuid,
                            dedupe_key=f"gpra_open:{client.uuid}:{row.opens_on}"))
        if row.closing_soon:
            drafts.append(Draft(recipient_id=client.primary_peer_id, kind="gpra_window", program_id=program.pk,
                                title=partial(_closing_title, row.days_left),
                                url=row.url,
                                client_uuid=client.uuid,
                                dedupe_key=f"gpra_closing:{client.uuid}:{row.closes_on}"))
    for start in range(0, len(drafts), 1000):
        yield drafts[start:start + 1000]

"""Fixtures of the billing tests: a registered (billable) peer, and notes written and signed on time."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from clients.services import notes as note_services
from tests.factories import RPRS, CredentialFactory, SessionNoteFactory, default_type, membership_of


@pytest.fixture
def registered(peer, program):
    """``peer`` holds a current peer recovery specialist registration: their services are billable."""
    today = datetime.date.today()
    return CredentialFactory(membership=membership_of(peer, program), type=default_type(RPRS), number="REG-0042",
                             issued_on=today - datetime.timedelta(days=400),
                             expires_on=today + datetime.timedelta(days=400))


def signed_note(client, day: datetime.date, minutes: int = 60, *, late: bool = False, **fields):
    """A note of ``day`` signed through ``note_sign`` (units, caps and flags as in real use), an hour after
    the session, or three days later (``late``: a late entry)."""
    note = SessionNoteFactory(client=client, session_date=day, start_time=None, end_time=None,
                              duration_minutes=minutes, **fields)
    when = note.ended_at + datetime.timedelta(days=3 if late else 0, hours=1)
    with time_machine.travel(when, tick=False):
        return note_services.note_sign(note=note, by=note.author)

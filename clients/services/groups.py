"""Group sessions: one draft note per participant, sharing what happened in the group."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from clients.models import Client, GroupSession, SessionNote, SupportService
from clients.services.notes import note_create
from recovery.models import Program, User

NOT_ON_CASELOAD = "Every participant of a group must be on your caseload."


@transaction.atomic
def group_session_record(*, author: User, program: Program, clients: list[Client], topic: str, note: dict,
                         services: Iterable[SupportService] = ()) -> GroupSession:
    """Record a group: one draft note per participant, each to complete with that participant's response.

    ``note`` holds what every participant's note shares (date, times, setting, code, what happened).
    """
    if any(c.primary_peer_id != author.pk or c.program_id != program.pk for c in clients):
        raise ValidationError(NOT_ON_CASELOAD)
    if not 2 <= len(clients) <= program.group_max_participants:
        raise ValidationError(f"A group has 2 to {program.group_max_participants} participants.")
    group = GroupSession.objects.create(program=program, facilitator=author, session_date=note["session_date"],
                                        topic=topic)
    services = list(services)
    for client in clients:
        client.program = program  # spare each note_create a query for the program
        draft = SessionNote(**note, group=group, contact_type=SessionNote.ContactType.GROUP)
        note_create(note=draft, client=client, author=author, services=services)
    return group

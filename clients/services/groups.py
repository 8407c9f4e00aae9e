"""Group sessions: one note per participant, sharing what happened in the group, each with that participant's
own response; saved as drafts, or all signed at once (each note signed on its own, so its units, caps, review
and NOTE_SIGNED handlers run as for any note)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from clients.models import Client, GroupSession, SessionNote, SupportService
from clients.services.notes import note_create, note_sign
from recovery.models import Program, User
from recovery.scoping import can_edit_participant

NOT_ON_CASELOAD = gettext_noop("Every participant of a group must be on your caseload.")


@transaction.atomic
def group_session_record(*, author: User, program: Program, clients: list[Client], topic: str, note: dict,
                         services: Iterable[SupportService] = (), responses: Mapping[int, str] | None = None,
                         sign: bool = False) -> GroupSession:
    """Record a group: one note per participant with that participant's response (``responses``, by
    participant id), kept as drafts or, with ``sign``, each signed by the author in this transaction.

    ``note`` holds what every participant's note shares (date, times, setting, code, what happened).
    """
    if any(c.program_id != program.pk or not can_edit_participant(author, c) for c in clients):
        raise ValidationError(gettext(NOT_ON_CASELOAD))
    if not 2 <= len(clients) <= program.group_max_participants:
        raise ValidationError(gettext("A group has 2 to %(most)s participants.")
                              % {"most": program.group_max_participants})
    group = GroupSession.objects.create(program=program, facilitator=author, session_date=note["session_date"],
                                        topic=topic)
    services, responses = list(services), responses or {}
    for client in clients:
        client.program = program  # spare each note_create a query for the program
        draft = SessionNote(**note, group=group, contact_type=SessionNote.ContactType.GROUP,
                            response=responses.get(client.pk, ""))
        draft = note_create(note=draft, client=client, author=author, services=services)
        if sign:
            note_sign(note=draft, by=author)
    return group

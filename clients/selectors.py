"""Whom and what a note form offers: the participants a user may write about, a participant's current goals."""

from __future__ import annotations

from django.db.models import Q

from clients.models import (
    Client,
    Goal,
    RecoveryPlan,
    SessionNote,
)


def caseload_for_notes(user, program):
    """The enrolled participants ``user`` carries in ``program``: whom they can log a session for."""
    return (Client.objects.visible_to(user)
            .filter(program=program, primary_peer=user, status=Client.Status.ACTIVE).order_by("name_key", "pk"))


def goals_for(client: Client, note: SessionNote | None = None):
    """The goals of the participant's current plan still being worked on (and those the note already has)."""
    current = Q(plan__client=client, plan__status=RecoveryPlan.Status.ACTIVE, status=Goal.Status.ACTIVE)
    if note is not None and note.pk:
        current |= Q(pk__in=note.note_goals.values("goal_id"))
    return Goal.objects.filter(current).order_by("position", "pk")


def participants_named(user, program_id: int, query: str, limit: int = 20) -> list[tuple]:
    """``recovery.audit_report.PARTICIPANT_SEARCHES``: the participants of the program ``user`` may see whose
    name or preferred name has each word of ``query`` (the caseload search's index)."""
    found = Client.objects.visible_to(user).filter(program_id=program_id).search(query).order_by("name_key", "pk")
    return list(found.values_list("uuid", "full_name", "birth_date")[:limit])

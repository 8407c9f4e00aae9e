"""Workflows on follow-ups: added by hand or by a note, done (optionally in a note), cancelled."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from clients.models import Client, FollowUp, SessionNote
from clients.models.followups import DISCHARGED
from recovery.models import User

FOLLOWUP_CLOSED = gettext_noop("This follow-up is already closed.")
FOLLOWUP_NOTE_OTHER_PARTICIPANT = gettext_noop("That note is about another participant.")


def followup_create(*, followup: FollowUp, client: Client, by: User) -> FollowUp:
    """Save a follow-up made by hand (built by the form, which chose the assignee among those allowed)."""
    followup.client, followup.created_by, followup.status = client, by, FollowUp.Status.OPEN
    followup.save()
    return followup


@transaction.atomic
def followup_complete(*, followup: FollowUp, by: User, note: SessionNote | None = None) -> FollowUp:
    """Mark done, optionally by the note of the contact that did it. Already closed: left as it is."""
    current = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not current.is_open:
        return current
    if note is not None and note.client_id != current.client_id:
        raise ValidationError({"note": gettext(FOLLOWUP_NOTE_OTHER_PARTICIPANT)})
    current.status, current.closed_at, current.closed_by = FollowUp.Status.DONE, timezone.now(), by
    current.done_in_note = note
    current.save(update_fields=["status", "closed_at", "closed_by", "done_in_note"])
    return current


@transaction.atomic
def followup_cancel(*, followup: FollowUp, by: User, reason: str) -> FollowUp:
    current = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not current.is_open:
        return current
    current.status, current.closed_at, current.closed_by = FollowUp.Status.CANCELLED, timezone.now(), by
    current.close_reason = reason
    current.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    return current


def followups_close_for_discharge(*, client: Client, by: User, when: datetime.datetime | None = None) -> int:
    """Cancel the participant's open follow-ups, with the reason "discharged" (called by ``episode_discharge``)."""
    return FollowUp.objects.filter(client=client, status=FollowUp.Status.OPEN).update(
        status=FollowUp.Status.CANCELLED, closed_at=when or timezone.now(), closed_by=by, close_reason=DISCHARGED)

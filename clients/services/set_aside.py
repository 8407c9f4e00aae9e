"""A participant record entered in error: set aside (kept, hidden everywhere) and restored by an admin.

Nothing is deleted or rewritten: the record and everything about it stay as they are, and
``recovery.scoping.in_use_q`` leaves it out of every list, search, count, caseload, My day, reminder and
report. The change history (pghistory, with the signed-in user as context) keeps each marking and
restoring: who, when and why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from clients.models import Client


@transaction.atomic
def client_set_aside(*, client: Client, by, reason: str) -> Client:
    """Mark ``client`` as entered in error, with the admin's reason."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.is_set_aside:
        raise ValidationError(gettext("This record is already marked as entered in error."))
    if not reason.strip():
        raise ValidationError(gettext("Say why this record was entered in error."))
    client.set_aside_as = Client.SetAside.ENTERED_IN_ERROR
    client.set_aside_reason = reason.strip()
    client.set_aside_at = timezone.now()
    client.set_aside_by = by
    client.save(update_fields=["set_aside_as", "set_aside_reason", "set_aside_at", "set_aside_by"])
    return client


@transaction.atomic
def client_restore(*, client: Client, by) -> Client:
    """Put a set-aside record back in use (the history keeps that it was set aside, by whom and why)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if not client.is_set_aside:
        raise ValidationError(gettext("This record is in use already."))
    if client.merged_into_id:
        raise ValidationError(gettext("A merged record stays merged: its rows are on the record kept."))
    client.set_aside_as = ""
    client.set_aside_reason = ""
    client.set_aside_at = None
    client.set_aside_by = None
    client.save(update_fields=["set_aside_as", "set_aside_reason", "set_aside_at", "set_aside_by"])
    return client

"""A credential's change history, read from the rows django-pghistory's triggers keep (who, when, what)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from peers.models import Credential, CredentialType
from recovery.history import Change, column_changes, event_user_id
from recovery.models import Membership, User

# The columns shown, in order, with their labels; other columns (ids, timestamps) are not news.
SHOWN = {
    "type_id": _("Credential"),
    "number": _("Number"),
    "issued_on": _("Issued"),
    "expires_on": _("Expires"),
    "ended_on": _("Ended"),
    "end_reason": _("End reason"),
}
END_REASONS = dict(Credential.EndReason.choices)


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    credential: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _display(column: str, value, type_names: dict[int, str]) -> str:
    if value in (None, ""):
        return "—"
    if column == "type_id":
        return type_names.get(value, gettext("another credential type"))
    if column == "end_reason":
        return END_REASONS.get(value, value)
    if column.endswith("_on"):
        return date_format(date.fromisoformat(value), "M j, Y")
    return str(value)


def credential_history(membership: Membership, *, limit: int = 100) -> list[HistoryEntry]:
    """The latest changes to a staff member's credentials, newest first (three queries)."""
    events = list(
        Events.objects.tracks(Credential.objects.filter(membership=membership))
        .order_by("-pgh_created_at", "-pgh_id")[:limit]
    )
    user_ids = {event_user_id(e) for e in events} - {None}
    names = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "full_name")) if user_ids else {}
    type_ids = {e.pgh_data.get("type_id") for e in events}
    type_names = dict(CredentialType.objects.filter(pk__in=type_ids).values_list("pk", "name")) if events else {}
    entries = []
    for event in events:
        data = event.pgh_data
        user_id = event_user_id(event)
        who = names.get(user_id, gettext("Unknown user")) if user_id else gettext("The system (no signed-in user)")
        added = event.pgh_label == "insert"
        changes = [Change(SHOWN[col], "" if added else _display(col, before, type_names),
                          _display(col, after, type_names))
                   for col, before, after in column_changes(event, SHOWN)]
        action = "Added" if added else "Changed"
        if changes:
            entries.append(HistoryEntry(event.pgh_created_at, who, type_names.get(data.get("type_id"), ""),
                                        action, changes))
    return entries

"""Reading change history back from the event rows django-pghistory's triggers write.

Every tracked model gets an event per insert and update (and the signed-in user, through pghistory's
middleware context). The pages that show history (a staff member's credentials, the audit report, a
participant's record) read the events through these helpers and only choose the columns and words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One column of a record as an event changed it, in words (``before`` is "" for a new record)."""

    label: str
    before: str
    after: str


def column_changes(event, columns: Iterable[str] | None = None) -> list[tuple[str, Any, Any]]:
    """``(column, before, after)`` for each column the event changed, raw values; an insert sets each filled
    column from nothing (``before`` None). ``columns`` chooses and orders them (default: all, by name)."""
    if event.pgh_label == "insert":
        data = event.pgh_data or {}
        names = sorted(data) if columns is None else columns
        return [(name, None, data.get(name)) for name in names if data.get(name) not in (None, "")]
    diff = event.pgh_diff or {}
    names = sorted(diff) if columns is None else columns
    return [(name, *diff[name]) for name in names if name in diff]


def event_user_id(event) -> int | None:
    """The id of the signed-in user who made the change (pghistory's context), if any."""
    return (event.pgh_context or {}).get("user")

"""Reading change history back from the event rows django-pghistory's triggers write.

Every tracked model gets an event per insert and update (and the signed-in user, through pghistory's
middleware context). The pages that show history (a staff member's credentials, the audit report, a
participant's record) read the events through these helpers and only choose the events, columns and words.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, Model, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pghistory.core import event_models
from pghistory.models import MiddlewareEvents

User = get_user_model()


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


# --- Which change events belong to a program ----------------------------------------------------

def _program_path(model: type[Model], depth: int = 3) -> str | None:
    """The lookup from ``model`` to its program's id ("program_id", "client__program_id"…), or None."""
    names = {f.name for f in model._meta.concrete_fields}
    if "program" in names:
        return "program_id"
    if model is User:
        return "memberships__program_id"  # a person's staff records belong to each program they work in
    if depth == 0:
        return None
    for f in model._meta.concrete_fields:
        if isinstance(f, ForeignKey) and f.related_model is not model:
            rest = _program_path(f.related_model, depth - 1)
            if rest:
                return f"{f.name}__{rest}"
    return None


@dataclass(frozen=True)
class _Scope:
    event_model: type[Model]
    condition: Callable[[int], Q]


def _event_scope(event_model: type[Model]) -> _Scope | None:
    """Which events of ``event_model`` belong to a program: a condition on the event table's own columns
    (an event row copies its record's fields, so ``program_id`` or ``client_id`` are columns there), never
    on JSON built from them, so PostgreSQL can use the event table's indexes."""
    tracked = event_model.pgh_tracked_model
    names = {f.name for f in tracked._meta.concrete_fields}
    if "program" in names:
        return _Scope(event_model, lambda pid: Q(program_id=pid))
    if tracked is User:
        return _Scope(event_model, lambda pid: Q(
            pgh_obj_id__in=User.objects.filter(memberships__program_id=pid).values("pk")))
    for f in tracked._meta.concrete_fields:
        if not isinstance(f, ForeignKey):
            continue
        path = _program_path(f.related_model)
        if path:
            related, key = f.related_model, f"{f.attname}__in"
            return _Scope(event_model, lambda pid, related=related, key=key, path=path: Q(
                **{key: related.objects.filter(**{path: pid}).values("pk")}))
    return None


def program_scopes() -> list[_Scope]:
    return [scope for model in event_models() if (scope := _event_scope(model)) is not None]


def record_type_choices() -> list[tuple[str, str]]:
    choices = [(s.event_model._meta.label, s.event_model.pgh_tracked_model._meta.verbose_name.capitalize())
               for s in program_scopes()]
    return sorted(choices, key=lambda choice: choice[1])


def record_type_label(event_model_label: str) -> str:
    try:
        return apps.get_model(event_model_label).pgh_tracked_model._meta.verbose_name.capitalize()
    except LookupError:
        return event_model_label


# --- Changes in words, for the people who read them ---------------------------------------------

# Derived or technical columns: a change to them alone is not worth showing.
TECHNICAL_FIELDS = {"id", "uuid", "name_key", "search_text", "intake_token", "created_at", "updated_at", "position"}
ACTIONS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}


def action_label(pgh_label: str) -> str:
    """"Created", "Changed", "Deleted": an event's label in words."""
    return ACTIONS.get(pgh_label, pgh_label.replace("_", " ").capitalize())


def model_field(model: type[Model], attname: str):
    """The field behind a column ("primary_peer_id" → the primary_peer field), or None."""
    try:
        return model._meta.get_field(attname.removesuffix("_id") if attname.endswith("_id") else attname)
    except FieldDoesNotExist:
        try:
            return model._meta.get_field(attname)
        except FieldDoesNotExist:
            return None


def field_name(model: type[Model], attname: str) -> str:
    """A column as its form calls it, as written for a sentence ("primary_peer_id" → "peer specialist")."""
    field = model_field(model, attname)
    return str(field.verbose_name) if field is not None else attname.removesuffix("_id").replace("_", " ")


def field_label(model: type[Model], attname: str) -> str:
    """A column as its form calls it, as a heading ("primary_peer_id" → "Peer specialist")."""
    label = field_name(model, attname)
    return label[:1].upper() + label[1:]


def is_technical(column: str) -> bool:
    return column in TECHNICAL_FIELDS or column.removesuffix("_id") in TECHNICAL_FIELDS


def value_words(field, value, user_names: dict[int, str]) -> str:
    """A stored value as a person reads it: "yes", a choice's label, a staff member's name, "nothing"."""
    if value in (None, "", [], {}):
        return gettext("nothing")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        if field.related_model is User and value in user_names:
            return user_names[value]
        return gettext("another record") if field.related_model is not User else gettext("a former staff member")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def change_words(event, user_names: dict[int, str] | None = None) -> list[Change]:
    """The columns an event changed, in words: labels as the forms show them, values as people read them
    (``user_names``: staff names by id, for the columns that point at a person), technical columns left out."""
    model = _tracked_model(event)
    changes = []
    for column, before, after in column_changes(event):
        if is_technical(column):
            continue
        field = model_field(model, column)
        changes.append(Change(field_label(model, column),
                              "" if event.pgh_label == "insert" else value_words(field, before, user_names or {}),
                              value_words(field, after, user_names or {})))
    return changes


def _tracked_model(event) -> type[Model]:
    return getattr(event, "pgh_tracked_model", None) or apps.get_model(event.pgh_obj_model)


def staff_ids_in(events: Iterable) -> set[int]:
    """The ids of the staff the events' columns point at (a peer specialist, who closed it…), so their names
    can be read in the query that reads the names of who made the changes."""
    ids = set()
    for event in events:
        model = _tracked_model(event)
        for column, before, after in column_changes(event):
            field = model_field(model, column)
            if field is not None and field.is_relation and field.related_model is User:
                ids.update(v for v in (before, after) if isinstance(v, int))
    return ids


# --- A record's history in lines, newest first ---------------------------------------------------

@dataclass(frozen=True)
class HistoryLine:
    """One change, in words: when, by whom, what ("Goal added", "Consent: expires on changed")."""

    at: datetime.datetime
    who: str
    what: str


def events_about(event_models: list[str], records: list[Model], limit: int) -> list:
    """The latest ``limit`` events of ``event_models`` ("clients.GoalEvent"…) that point at one of
    ``records``, newest first, with who made them (one query)."""
    return list(MiddlewareEvents.objects.across(*event_models).references(records)
                .select_related("user").order_by("-pgh_created_at", "-pgh_id")[:limit])


def change_line(event) -> str | None:
    """An event in one line, or None when it changed only technical columns."""
    model = _tracked_model(event)
    noun = str(model._meta.verbose_name).capitalize()
    if event.pgh_label == "insert":
        return gettext("%(noun)s added") % {"noun": noun}
    if event.pgh_label == "delete":
        return gettext("%(noun)s removed") % {"noun": noun}
    columns = sorted(column for column, _, _ in column_changes(event) if not is_technical(column))
    if not columns:
        return None
    fields = ", ".join(field_name(model, column) for column in columns)
    return gettext("%(noun)s: %(fields)s changed") % {"noun": noun, "fields": fields}


def history_lines(events: Iterable, limit: int) -> list[HistoryLine]:
    """The events (read by ``events_about``), newest first, one line each; at most ``limit`` lines."""
    lines = []
    for event in sorted(events, key=lambda e: e.pgh_created_at, reverse=True):
        what = change_line(event)
        if what is not None:
            who = event.user.full_name if event.user else gettext("System")
            lines.append(HistoryLine(event.pgh_created_at, who, what))
    return lines[:limit]

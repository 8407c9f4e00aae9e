"""The audit report (HIPAA §164.312(b): record and examine activity) for a program admin.

Three tabs over one program: the access log (who read what), the change history (pghistory events of
the program's records: who changed what, from which page) and sign-in security events (failed sign-ins,
lockouts, wrong two-factor codes, password-reset requests, two-factor set-ups and resets). Each tab has a
filter form, columns that sort (a whitelist: the URL never names a database field), and the same rows on
screen and in the CSV export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import (
    BigIntegerField,
    F,
    ForeignKey,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from pghistory.core import event_models
from pghistory.models import MiddlewareEvents

from recovery.fields import FilterDateField
from recovery.models import AccessLog, Membership, Program, SecurityEvent

User = get_user_model()

DATE_ORDER_ERROR = "The end date is before the start date."


# --- Filters ------------------------------------------------------------------------------------

class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Staff member",
                                  to_field_name="uuid", empty_label="Anyone")
    # Bounded: a year-9999 "to" day once overflowed the day-after arithmetic of ``time_range`` (a 500).
    date_from = FilterDateField(required=False, label="From")
    date_to = FilterDateField(required=False, label="To")

    def __init__(self, data, *, program: Program):
        super().__init__(data)
        self.program = program
        # Everyone who is or was on the program's staff: past staff's reads stay auditable.
        self.fields["user"].queryset = (
            User.objects.filter(memberships__program=program).distinct().order_by("full_name", "id")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATE_ORDER_ERROR)
        return cleaned

    def time_range(self) -> tuple[datetime | None, datetime | None]:
        """The chosen days, whole days in the program's time zone ("to" included)."""
        zone = self.program.zone
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (
            datetime.combine(start, time.min, tzinfo=zone) if start else None,
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone) if end else None,
        )


class AccessFilterForm(AuditFilterForm):
    participant = forms.UUIDField(required=False, label="Participant ID",
                                  help_text="The participant's ID, as shown in their record's address.")
    action = forms.ChoiceField(choices=[("", "Any"), *AccessLog.Action.choices], required=False)
    field_order = ["user", "participant", "action", "date_from", "date_to"]


class ChangesFilterForm(AuditFilterForm):
    record = forms.ChoiceField(label="Record type", required=False)
    field_order = ["user", "record", "date_from", "date_to"]

    def __init__(self, data, *, program: Program):
        super().__init__(data, program=program)
        self.fields["record"].choices = [("", "Any"), *record_type_choices()]


class SecurityFilterForm(AuditFilterForm):
    kind = forms.ChoiceField(label="Event", choices=[("", "Any"), *SecurityEvent.Kind.choices], required=False)
    ip = forms.GenericIPAddressField(label="From address", required=False,
                                     help_text="An IPv4 or IPv6 address, for example 203.0.113.7.")
    field_order = ["user", "kind", "ip", "date_from", "date_to"]


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
    (an event row copies its record's fields), not on the aggregate's computed ``pgh_data`` JSON."""
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


# --- Tabs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    label: str
    order_by: str


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    form_class: type[AuditFilterForm]
    columns: list[Column]
    default_sort: str
    tie_breaker: str
    rows: Callable[[AuditFilterForm], QuerySet]
    csv_header: list[str] = field(default_factory=list)
    csv_row: Callable[[Model, Program], list] = lambda obj, program: []

    def sort_key(self, raw: str | None) -> str:
        """The requested sort if it is a known column ("at", "-at"), else the default."""
        keys = {c.key for c in self.columns}
        if raw and raw.lstrip("-") in keys:
            return raw
        return self.default_sort

    def ordered(self, queryset: QuerySet, sort: str) -> QuerySet:
        descending = sort.startswith("-")
        column = next(c for c in self.columns if c.key == sort.lstrip("-"))
        prefix = "-" if descending else ""
        return queryset.order_by(f"{prefix}{column.order_by}", f"{prefix}{self.tie_breaker}")


def _when(form: AuditFilterForm, queryset: QuerySet, field_name: str) -> QuerySet:
    start, end = form.time_range()
    if start:
        queryset = queryset.filter(**{f"{field_name}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field_name}__lt": end})
    return queryset


def _access_rows(form: AccessFilterForm) -> QuerySet:
    rows = AccessLog.objects.filter(program=form.program).select_related("user")
    data = form.cleaned_data
    if data.get("user"):
        rows = rows.filter(user=data["user"])
    if data.get("participant"):
        rows = rows.filter(client_uuid=data["participant"])
    if data.get("action"):
        rows = rows.filter(action=data["action"])
    return _when(form, rows, "at")


class ChangeRows:
    """The change events of a program in the report's order, found first on the event tables' own columns
    (a UNION ALL of one light row per event: sorted, counted and sliced there), then read in full (what
    changed, by whom, from where) through pghistory's aggregate for the records of the slice alone.

    pghistory's aggregate builds each event's JSON and looks up its previous version for every event of
    every table before it can filter or sort: over a program's whole history (500,000 note events at
    scale) that outlasts any request. Slicing first keeps each page to the rows it shows."""

    _SORTS = {"pgh_created_at": "at", "user__full_name": "user_name", "pgh_obj_model": "record",
              "pgh_obj_id": "obj_id", "pgh_label": "action", "url": "page_url", "pgh_slug": "slug"}

    def __init__(self, parts: list[QuerySet], ordering: tuple[str, ...] = (), window: slice | None = None):
        self.parts, self.ordering, self.window = parts, ordering, window

    def order_by(self, *fields: str) -> ChangeRows:
        ordering = tuple(("-" if f.startswith("-") else "") + self._SORTS[f.lstrip("-")] for f in fields)
        return ChangeRows(self.parts, ordering)

    def _keys(self) -> QuerySet:
        """The key rows in order, sliced to the window: each table's part sorted and cut to the window's
        end first (an index on pgh_created_at serves the default newest-first order), then merged."""
        parts = self.parts
        if self.window and self.window.stop is not None and len(parts) > 1:
            parts = [part.order_by(*self.ordering)[:self.window.stop] for part in parts]
        first, *rest = parts
        keys = (first.union(*rest, all=True) if rest else first).order_by(*self.ordering)
        return keys[self.window] if self.window else keys

    def count(self) -> int:
        """How many events (within the window): counted on the event ids alone, up to the window's end."""
        if not self.parts:
            return 0
        stop = self.window.stop if self.window else None
        first, *rest = [part.values_list("pgh_id")[:stop] if stop else part.values_list("pgh_id")
                        for part in self.parts]
        return (first.union(*rest, all=True) if rest else first).count()

    def __getitem__(self, key: slice) -> ChangeRows:
        assert isinstance(key, slice) and self.window is None
        return ChangeRows(self.parts, self.ordering, key)

    @cached_property
    def _rows(self) -> list:
        return self._events(list(self._keys())) if self.parts else []

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def iterator(self, chunk_size: int = 2000):
        start = 0
        while True:
            keys = list(ChangeRows(self.parts, self.ordering)._keys()[start:start + chunk_size]) if self.parts else []
            yield from self._events(keys)
            if len(keys) < chunk_size:
                return
            start += chunk_size

    @staticmethod
    def _events(keys: list[dict]) -> list:
        """The full events of ``keys`` in the keys' order: one UNION of pghistory's aggregate per event
        table, each over the records of the slice alone (the aggregate restricted to one model's tracked
        objects), and one query for the users."""
        if not keys:
            return []
        by_model: dict[str, list[dict]] = {}
        for k in keys:
            by_model.setdefault(k["event"], []).append(k)
        parts = []
        for label, rows in sorted(by_model.items()):
            event_model = apps.get_model(label)
            tracked = event_model.pgh_tracked_model
            objects = [tracked(pk=obj_id) for obj_id in sorted({int(k["obj_id"]) for k in rows})]
            parts.append(MiddlewareEvents.objects.across(event_model).tracks(objects)
                         .filter(pgh_slug__in=[k["slug"] for k in rows]))
        first, *rest = parts
        events = {e.pgh_slug: e for e in (first.union(*rest, all=True) if rest else first)}
        # a query even with no user to read: the page's query count does not depend on its rows
        user_ids = {e.user_id for e in events.values() if e.user_id} or {0}  # (an empty IN makes no query)
        users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
        for event in events.values():
            event.user = users.get(event.user_id)
        return [events[k["slug"]] for k in keys if k["slug"] in events]


def _change_keys(event_model: type[Model], condition: Q, form: ChangesFilterForm) -> QuerySet:
    label = event_model._meta.label
    user_id = Cast(KeyTextTransform("user", "pgh_context__metadata"), BigIntegerField())
    rows = event_model.objects.filter(condition)
    if form.cleaned_data.get("user"):
        rows = rows.filter(pgh_context__metadata__user=form.cleaned_data["user"].pk)
    rows = _when(form, rows, "pgh_created_at")
    return rows.annotate(ctx_user=user_id).annotate(
        slug=Concat(Value(f"{label}:"), Cast("pgh_id", TextField()), output_field=TextField()),
        event=Value(label, output_field=TextField()),
        at=F("pgh_created_at"), record=Value(event_model.pgh_tracked_model._meta.label, output_field=TextField()),
        obj_id=Cast("pgh_obj_id", TextField()), action=Cast("pgh_label", TextField()),
        page_url=KeyTextTransform("url", "pgh_context__metadata"),
        user_name=Subquery(User.objects.filter(pk=OuterRef("ctx_user")).values("full_name")[:1]),
    ).values("slug", "event", "at", "record", "obj_id", "action", "page_url", "user_name")


def _changes_rows(form: ChangesFilterForm) -> ChangeRows:
    scopes = program_scopes()
    data = form.cleaned_data
    if data.get("record"):
        scopes = [s for s in scopes if s.event_model._meta.label == data["record"]]
    return ChangeRows([_change_keys(s.event_model, s.condition(form.program.pk), form) for s in scopes])


def _security_rows(form: SecurityFilterForm) -> QuerySet:
    """Events recorded in the program, and every event about a person who is or was on its staff (a
    failed sign-in of someone working in two programs shows in both). Events for emails that match no
    account belong to no program (recovery/signin.py): superusers see them in the Django admin."""
    staff = Membership.objects.filter(program=form.program).values("user_id")
    rows = (SecurityEvent.objects.filter(Q(program=form.program) | Q(user_id__in=Subquery(staff)))
            .select_related("user", "actor"))
    data = form.cleaned_data
    if data.get("user"):
        rows = rows.filter(Q(user=data["user"]) | Q(actor=data["user"]))
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("ip"):
        rows = rows.filter(ip=data["ip"])
    return _when(form, rows, "at")


def _local(moment: datetime, program: Program) -> str:
    return timezone.localtime(moment, program.zone).isoformat(timespec="seconds")


def describe_change(event) -> str:
    """What an event changed, in one line: "is_active: true → false; role: peer → supervisor"."""
    if event.pgh_diff:
        changes = sorted(event.pgh_diff.items())
        return "; ".join(f"{name}: {_plain(old)} → {_plain(new)}" for name, (old, new) in changes)
    if event.pgh_label == "insert":
        return "created"
    return ""


def _plain(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


ACCESS = Tab(
    key="access", label="Access log", form_class=AccessFilterForm,
    columns=[
        Column("at", "When", "at"), Column("user", "Staff member", "user__full_name"),
        Column("action", "Action", "action"), Column("record", "Record", "object_type"),
        Column("participant", "Participant ID", "client_uuid"), Column("ip", "From", "ip"),
        Column("path", "Page", "path"), Column("reason", "Reason", "reason"),
    ],
    default_sort="-at", tie_breaker="id", rows=_access_rows,
    csv_header=["When", "Staff member", "Email", "Action", "Record type", "Record ID", "Participant ID", "IP address",
                "Page", "Reason", "Browser"],
    csv_row=lambda r, p: [_local(r.at, p), r.user.full_name, r.user.email, r.get_action_display(), r.object_type,
                          r.object_id, r.client_uuid or "", r.ip or "", r.path, r.reason, r.user_agent],
)
CHANGES = Tab(
    key="changes", label="Changes", form_class=ChangesFilterForm,
    columns=[
        Column("at", "When", "pgh_created_at"), Column("user", "Changed by", "user__full_name"),
        Column("record", "Record", "pgh_obj_model"), Column("id", "Record ID", "pgh_obj_id"),
        Column("action", "Action", "pgh_label"), Column("path", "Page", "url"),
    ],
    default_sort="-at", tie_breaker="pgh_slug", rows=_changes_rows,
    csv_header=["When", "Changed by", "Email", "Record type", "Record ID", "Action", "Changes", "Page"],
    csv_row=lambda e, p: [_local(e.pgh_created_at, p), e.user.full_name if e.user else "",
                          e.user.email if e.user else "", record_type_label(e.pgh_model), e.pgh_obj_id or "",
                          e.pgh_label, describe_change(e), e.url or ""],
)
SECURITY = Tab(
    key="security", label="Sign-in security", form_class=SecurityFilterForm,
    columns=[
        Column("at", "When", "at"), Column("kind", "Event", "kind"), Column("user", "Staff member", "user__full_name"),
        Column("actor", "By", "actor__full_name"), Column("ip", "From", "ip"), Column("reason", "Reason", "reason"),
    ],
    default_sort="-at", tie_breaker="id", rows=_security_rows,
    csv_header=["When", "Event", "Staff member", "Email", "By", "IP address", "Reason"],
    csv_row=lambda s, p: [_local(s.at, p), s.get_kind_display(), s.user.full_name if s.user else "",
                          s.user.email if s.user else s.email, s.actor.full_name if s.actor else "", s.ip or "",
                          s.reason],
)
TABS = {tab.key: tab for tab in (ACCESS, CHANGES, SECURITY)}


def csv_safe(values: Iterable) -> list[str]:
    """Cells a spreadsheet would run as formulas (=, +, -, @) are prefixed with an apostrophe."""
    safe = []
    for value in values:
        text = "" if value is None else str(value)
        safe.append(f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text)
    return safe

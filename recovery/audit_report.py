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
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet, Subquery
from django.utils import timezone
from pghistory.models import MiddlewareEvents

from recovery.forms import AccessFilterForm, AuditFilterForm, ChangesFilterForm, SecurityFilterForm
from recovery.history import column_changes, program_scopes, record_type_label
from recovery.models import AccessLog, Membership, Program, SecurityEvent

User = get_user_model()

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


def _changes_rows(form: ChangesFilterForm) -> QuerySet:
    scopes = program_scopes()
    data = form.cleaned_data
    if data.get("record"):
        scopes = [s for s in scopes if s.event_model._meta.label == data["record"]]
    condition = Q(pk__in=[])
    for scope in scopes:
        condition |= scope.condition(form.program.pk)
    rows = (MiddlewareEvents.objects.across(*[s.event_model for s in scopes]).filter(condition)
            .select_related("user"))
    if data.get("user"):
        rows = rows.filter(user=data["user"])
    return _when(form, rows, "pgh_created_at")


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
        return "; ".join(f"{name}: {_plain(old)} → {_plain(new)}" for name, old, new in column_changes(event))
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

"""The audit report (HIPAA §164.312(b): record and examine activity) for a program admin.

Three tabs over one program: the access log (who read what), the change history (pghistory events of
the program's records: who changed what, from which page) and sign-in security events (failed sign-ins,
lockouts, wrong two-factor codes, password-reset requests, two-factor set-ups and resets). Each tab has a
filter form, columns that sort (a whitelist: the URL never names a database field), and the same rows on
screen and in the CSV export.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, F, Model, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

from recovery.forms import AccessFilterForm, AuditFilterForm, ChangesFilterForm, SecurityFilterForm
from recovery.history import action_label, change_words, program_scopes, record_type_label, staff_ids_in
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
    rows: Callable[[AuditFilterForm], QuerySet | ChangeRows]
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
    (a UNION ALL of one light row per event, each table's part sorted and cut to the page's end by its
    ``(pgh_created_at, pgh_id)`` index, then merged, sorted and sliced), then read in full (what changed,
    by whom, from where) through pghistory's aggregate for the page's records alone.

    The aggregate builds each event's JSON and looks up its previous version for every event of every
    table before it can filter or sort: over a program's whole history (500,000 note events at scale) that
    outlasts any request. Finding the page first keeps each request to the rows it shows. It answers what
    the view and the paginator ask of a queryset: ``order_by``, slicing, ``count``, iteration. Events of one
    transaction share their time: ties are broken by table, then by the event's id (numbers, in the
    index), so each table's part can be cut to the page's end in the final order.

    Building and compiling a light query for each of the 40-odd event tables costs more CPU than running
    them; the SQL depends only on ``key`` (the program and the filters), the order and the window, so it is
    compiled once per process for each of those (``_compiled``) and the parts are built only then."""

    _SORTS = {"pgh_created_at": ("at",), "user__full_name": ("user_name",), "pgh_obj_model": ("record",),
              "pgh_obj_id": ("obj_id",), "pgh_label": ("action",), "url": ("page_url",),
              "pgh_slug": ("event", "pgh_id")}

    def __init__(self, parts: Callable[[], list[tuple[type[Model], QuerySet]]], key: tuple,
                 ordering: tuple[str, ...] = (), window: slice | None = None):
        self._parts, self.key, self.ordering, self.window = parts, key, ordering, window

    @cached_property
    def parts(self) -> list[tuple[type[Model], QuerySet]]:
        return self._parts()

    def order_by(self, *fields: str) -> ChangeRows:
        ordering = tuple(("-" if f.startswith("-") else "") + key
                         for f in fields for key in self._SORTS[f.lstrip("-")])
        return ChangeRows(self._parts, self.key, ordering)

    def __getitem__(self, key: slice) -> ChangeRows:
        if not isinstance(key, slice) or self.window is not None:
            raise TypeError("ChangeRows takes one slice")
        return ChangeRows(self._parts, self.key, self.ordering, key)

    def _keys(self, window: slice | None) -> list[dict]:
        bounds = (window.start, window.stop) if window else None
        return _fetch(_compiled(("keys", self.key, self.ordering, bounds), lambda: self._keys_query(window)))

    def _keys_query(self, window: slice | None) -> QuerySet | None:
        if not self.parts:
            return None
        needed = {key.lstrip("-") for key in self.ordering}
        parts = [_light(event_model, rows, needed) for event_model, rows in self.parts]
        if window and window.stop is not None and len(parts) > 1:
            # within a table the event label is one constant: its part sorts on the index's columns
            within = [key for key in self.ordering if key.lstrip("-") != "event"]
            parts = [part.order_by(*within)[:window.stop] for part in parts]
        first, *rest = parts
        keys = (first.union(*rest, all=True) if rest else first).order_by(*self.ordering)
        return keys[window] if window else keys

    def count(self) -> int:
        """How many events (up to the window's end: the paginator's capped count asks for COUNT_CAP + 1),
        counted on the event tables' ids alone."""
        stop = self.window.stop if self.window else None
        rows = _fetch(_compiled(("count", self.key, stop), lambda: self._ids_query(stop)), counted=True)
        return rows[0]["n"] if rows else 0

    def _ids_query(self, stop: int | None) -> QuerySet | None:
        if not self.parts:
            return None
        first, *rest = [rows.values_list("pgh_id") for _, rows in self.parts]
        ids = first.union(*rest, all=True) if rest else first
        # a LIMIT over the UNION ALL: PostgreSQL reads the tables one after the other and stops there
        return ids[:stop] if stop else ids

    @cached_property
    def _rows(self) -> list:
        return _events(self._keys(self.window))

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def iterator(self, chunk_size: int = 2000):
        """Every row, ``chunk_size`` at a time (the CSV export)."""
        start = 0
        while True:
            keys = self._keys(slice(start, start + chunk_size))
            yield from _events(keys)
            if len(keys) < chunk_size:
                return
            start += chunk_size


# Compiled change queries, by what decides their SQL (at most ``COMPILED_MAX``, the oldest dropped first).
COMPILED_MAX = 64
_COMPILED: OrderedDict[tuple, tuple[str, tuple] | None] = OrderedDict()


def _compiled(key: tuple, build: Callable[[], QuerySet | None]) -> tuple[str, tuple] | None:
    """The SQL and parameters of ``build()``'s queryset (None: it finds nothing), compiled once per ``key``."""
    if key in _COMPILED:
        _COMPILED.move_to_end(key)
        return _COMPILED[key]
    rows = build()
    try:
        found = None if rows is None else rows.query.sql_with_params()
    except EmptyResultSet:
        found = None
    _COMPILED[key] = found
    while len(_COMPILED) > COMPILED_MAX:
        _COMPILED.popitem(last=False)
    return found


def _fetch(compiled: tuple[str, tuple] | None, counted: bool = False) -> list[dict]:
    """The rows of a compiled query as dictionaries (``counted``: only how many there are, as ``n``)."""
    if compiled is None:
        return []
    sql, params = compiled
    if counted:
        sql = f"SELECT count(*) AS n FROM ({sql}) rows"  # noqa: S608 (Django's SQL, compiled above)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _events(keys: list[dict]) -> list:
    """The full events of ``keys``, in the keys' order: one UNION of pghistory's aggregate restricted to the
    page's records of each event table, and one query for the users who made the changes."""
    if not keys:
        return []
    by_model: dict[str, list[dict]] = {}
    for key in keys:
        by_model.setdefault(key["event"], []).append(key)
    parts = []
    for label, rows in sorted(by_model.items()):
        event_model = apps.get_model(label)
        objects = [event_model.pgh_tracked_model(pk=pk) for pk in sorted({int(k["obj_id"]) for k in rows})]
        parts.append(MiddlewareEvents.objects.across(event_model).tracks(objects)
                     .filter(pgh_slug__in=[k["slug"] for k in rows]))
    first, *rest = parts
    events = {e.pgh_slug: e for e in (first.union(*rest, all=True) if rest else first)}
    # one query even when no row has a user: the page's query count does not depend on its rows
    user_ids = {e.user_id for e in events.values() if e.user_id} | staff_ids_in(events.values()) or {0}
    users = User.objects.in_bulk(user_ids)
    names = {pk: user.full_name for pk, user in users.items()}
    for event in events.values():
        event.user = users.get(event.user_id)
        event.staff_names = names
    return [events[k["slug"]] for k in keys if k["slug"] in events]


def _change_rows(event_model: type[Model], condition: Q, form: ChangesFilterForm) -> QuerySet:
    """The events of ``event_model`` that pass the filters, on the event table's own columns."""
    rows = event_model.objects.filter(condition)
    if form.cleaned_data.get("user"):
        rows = rows.filter(pgh_context__metadata__user=form.cleaned_data["user"].pk)
    return _when(form, rows, "pgh_created_at")


def _light(event_model: type[Model], rows: QuerySet, ordering: set[str]) -> QuerySet:
    """One light row per event: what finds it again (``event``, ``pgh_id``, ``obj_id``, ``slug``) and what
    sorts it. The columns read through the change's context (who, from which page) are added only when
    the rows are sorted by them: the default newest-first order reads the event table's index alone."""
    label = event_model._meta.label
    columns = {
        "slug": Concat(Value(f"{label}:"), Cast("pgh_id", TextField()), output_field=TextField()),
        "event": Value(label, output_field=TextField()),
        "at": F("pgh_created_at"),
        "obj_id": Cast("pgh_obj_id", TextField()),
    }
    optional = {
        "record": Value(event_model.pgh_tracked_model._meta.label, output_field=TextField()),
        "action": Cast("pgh_label", TextField()),
        "page_url": KeyTextTransform("url", "pgh_context__metadata"),
        "user_name": Subquery(User.objects.filter(pk=OuterRef("ctx_user")).values("full_name")[:1]),
    }
    columns.update({name: value for name, value in optional.items() if name in ordering})
    if "user_name" in ordering:
        rows = rows.annotate(ctx_user=Cast(KeyTextTransform("user", "pgh_context__metadata"), BigIntegerField()))
    return rows.annotate(**columns).values("pgh_id", *columns)


def _changes_rows(form: ChangesFilterForm) -> ChangeRows:
    scopes = program_scopes()
    if form.cleaned_data.get("record"):
        scopes = [s for s in scopes if s.event_model._meta.label == form.cleaned_data["record"]]
    data = form.cleaned_data
    key = (form.program.pk, data["user"].pk if data.get("user") else None, data.get("record") or "",
           form.time_range())
    return ChangeRows(lambda: [(s.event_model, _change_rows(s.event_model, s.condition(form.program.pk), form))
                               for s in scopes], key)


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
    """What an event changed, in one line and in words: "Active: yes → no; Role: Peer specialist → Supervisor"
    (an insert lists what it set). Staff named by the changed columns come from ``staff_names``, set by
    ``_events`` for the page's rows; elsewhere (the CSV) a person is named when they made a change on the page."""
    names = getattr(event, "staff_names", {})
    if event.pgh_label == "insert":
        return "; ".join(f"{c.label}: {c.after}" for c in change_words(event, names))
    return "; ".join(f"{c.label}: {c.before} → {c.after}" for c in change_words(event, names))


def object_type_label(object_type: str) -> str:
    """What an access-log row's ``object_type`` ("clients.client", "clients.caseload") is, in words."""
    if object_type in PAGES_READ:
        return PAGES_READ[object_type]
    try:
        label = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type.rsplit(".", 1)[-1].replace("_", " ").capitalize()
    return label[:1].upper() + label[1:]


# The pages logged as a whole (``log_access(request, "<app>.<page>", …)``), by the name the menu gives them.
PAGES_READ = {
    "clients.caseload": _("Participant list"), "clients.intake": _("Enrolment: the duplicate check"),
    "clients.emergency": _("Emergency access search"), "clients.followups": _("Follow-up list"),
    "clients.my_day": _("My day"), "outcomes.my_day": _("My day"), "referrals.my_day": _("My day"),
    "outcomes.demographics_report": _("Demographics report"), "outcomes.gpra_list": _("GPRA interviews"),
    "peers.board": _("Staff status board"), "recovery.notifications": _("Notifications"),
    "reports.report": _("Reports"), "reports.summary.pdf": _("Report summary (PDF)"),
    "supervision.dashboard": _("Caseload review"), "supervision.supervisee": _("A supervisee's caseload"),
    "audit.access": _("Audit report: access log"), "audit.changes": _("Audit report: changes"),
    "audit.security": _("Audit report: sign-in security"),
    "audit.participant_search": _("Audit report: participant search"),
}


# Functions ``(user, program_id, query) -> [(uuid, name, birth date)]``: the participants of the program whose
# name has the query's words, among those ``user`` may see (clients fills it; recovery imports no app).
PARTICIPANT_SEARCHES: list[Callable[[object, int, str], list[tuple]]] = []
PARTICIPANTS_FOUND_MAX = 20


def participants_named(user, program_id: int, query: str) -> list[tuple]:
    """The audit report's "find a participant by name": who matches, so the log can be filtered on their ID."""
    return [found for search in PARTICIPANT_SEARCHES for found in search(user, program_id, query)]


ACCESS = Tab(
    key="access", label=_("Access log"), form_class=AccessFilterForm,
    columns=[
        Column("at", _("When"), "at"), Column("user", _("Staff member"), "user__full_name"),
        Column("action", _("Action"), "action"), Column("record", _("Record"), "object_type"),
        Column("participant", _("Participant ID"), "client_uuid"), Column("ip", _("From"), "ip"),
        Column("path", _("Page"), "path"), Column("reason", _("Reason"), "reason"),
    ],
    default_sort="-at", tie_breaker="id", rows=_access_rows,
    csv_header=[_("When"), _("Staff member"), _("Email"), _("Action"), _("Record type"), _("Record ID"),
                _("Participant ID"), _("IP address"),
                _("Page"), _("Reason"), _("Browser")],
    csv_row=lambda r, p: [_local(r.at, p), r.user.full_name, r.user.email, r.get_action_display(),
                          object_type_label(r.object_type),
                          r.object_id, r.client_uuid or "", r.ip or "", r.path, r.reason, r.user_agent],
)
CHANGES = Tab(
    key="changes", label=_("Changes"), form_class=ChangesFilterForm,
    columns=[
        Column("at", _("When"), "pgh_created_at"), Column("user", _("Changed by"), "user__full_name"),
        Column("record", _("Record"), "pgh_obj_model"), Column("id", _("Record ID"), "pgh_obj_id"),
        Column("action", _("Action"), "pgh_label"), Column("path", _("Page"), "url"),
    ],
    default_sort="-at", tie_breaker="pgh_slug", rows=_changes_rows,
    csv_header=[_("When"), _("Changed by"), _("Email"), _("Record type"), _("Record ID"), _("Action"), _("Changes"),
                _("Page")],
    csv_row=lambda e, p: [_local(e.pgh_created_at, p), e.user.full_name if e.user else "",
                          e.user.email if e.user else "", record_type_label(e.pgh_model), e.pgh_obj_id or "",
                          action_label(e.pgh_label), describe_change(e), e.url or ""],
)
SECURITY = Tab(
    key="security", label=_("Sign-in security"), form_class=SecurityFilterForm,
    columns=[
        Column("at", _("When"), "at"), Column("kind", _("Event"), "kind"),
        Column("user", _("Staff member"), "user__full_name"), Column("actor", _("By"), "actor__full_name"),
        Column("ip", _("From"), "ip"), Column("reason", _("Reason"), "reason"),
    ],
    default_sort="-at", tie_breaker="id", rows=_security_rows,
    csv_header=[_("When"), _("Event"), _("Staff member"), _("Email"), _("By"), _("IP address"), _("Reason")],
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

"""What a report counts from: the participants, notes and staff the user may see, cut by the filters.

Scope by role reuses the one scoping answer (recovery.scoping): participants are
``participant_q(user, emergency=False)`` of the program the user works in now (a peer: their caseload; a
supervisor: their team's caseloads and the program's participants needing assignment; an admin: the
program). Emergency access never widens a report. Staff records (supervision hours) are ``staff_q``.

Filters:

* **peer**: participants that peer carries (``Client.primary_peer``, as the caseload and the GPRA rate per
  peer count them), and that peer's own supervision;
* **team** (supervisors and admins): participants carried by the peers a supervisor supervises, or by the
  supervisor; their supervision;
* **demographic group** ``question:code``: participants whose current answer (latest observation,
  outcomes.demographics) to the question includes the category;
* **service code** and **contact type**: applied to the note measures (participants served, contacts,
  hours and units, note timeliness, crisis flags), not to the participant-level ones.

Every number counts service dates: a note belongs to the period of its ``session_date`` whenever it was
signed; dates stored as moments (a follow-up's closing, a goal's creation) are read as days in the
program's time zone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ServiceCode, SessionNote
from outcomes.models import Observation
from recovery.compiled import record_key
from recovery.models import Membership, Program
from recovery.scoping import participant_q, reach, scope_key, staff_q
from reports.models import NoteMonth, ProgramMonth
from reports.periods import Period, full_months

# Why a note bills nothing (the "notes not billable" measure's groups).
NO_CODE, CODE_NOT_BILLABLE, OUTREACH, TOO_SHORT, CAPPED = (
    "no_code", "code_not_billable", "outreach", "too_short", "capped")
NO_BILL_REASONS = {
    NO_CODE: _("No service code"),
    CODE_NOT_BILLABLE: _("Service code not billable"),
    OUTREACH: _("Outreach attempt"),
    TOO_SHORT: _("Too short for a unit"),
    CAPPED: _("Over a daily or yearly cap"),
}


def no_bill_reason(row: dict, code_billable: bool) -> str:
    """Why notes of a cube row bill nothing, in the order ``clients.units.units_assess`` decides it ("": they
    bill)."""
    if row["bills"]:
        return ""
    if row["service_code_id"] is None:
        return NO_CODE
    if not code_billable:
        return CODE_NOT_BILLABLE
    if row["contact_type"] == SessionNote.ContactType.OUTREACH:
        return OUTREACH
    return TOO_SHORT if row["no_units"] else CAPPED


@dataclass
class Filters:
    peer_id: int | None = None
    team_id: int | None = None
    service_code_id: int | None = None
    contact_type: str = ""
    demographic: str = ""  # "question:code"

    def as_query(self) -> dict[str, str]:
        return {k: str(v) for k, v in (("peer", self.peer_id), ("team", self.team_id),
                                       ("service_code", self.service_code_id), ("contact_type", self.contact_type),
                                       ("demographic", self.demographic)) if v}


@dataclass
class Base:
    """The scoped, filtered starting point of every measure (built once per request, no query)."""

    user: object
    program: Program
    period: Period
    today: datetime.date
    filters: Filters = field(default_factory=Filters)
    # Results shared by several measures within one request (the note cube): computed once.
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def key(self) -> tuple:
        """Every input a measure's query is built from (``recovery.compiled``): what the user may see now,
        the program's settings, the period, today and the filters (read once per report, as the scope is)."""
        if "key" not in self.cache:
            f = self.filters
            self.cache["key"] = (scope_key(self.user), record_key(self.program), self.period.start, self.period.end,
                                 self.today, f.peer_id, f.team_id, f.service_code_id, f.contact_type, f.demographic)
        return self.cache["key"]

    @property
    def zone(self):
        return self.program.zone

    @property
    def as_of(self) -> datetime.date:
        """The day "now" measures (engagement) are taken on: the period's end, or today if earlier."""
        return min(self.period.end, self.today)

    @property
    def whole_program(self) -> bool:
        """The report counts every participant of the program: an admin's, with no participant filter (peer,
        team, demographic group). Program-level summaries (``reports.models.ContactGap``) answer it."""
        f = self.filters
        return not (f.peer_id or f.team_id or f.demographic) and self.program.pk in reach(self.user).admin_program_ids

    @property
    def of_whole_months(self) -> bool:
        """The period is whole calendar months (every preset is)."""
        return self.period.start.day == 1 and self.whole_months == (self.period.start, self.period.end.replace(day=1))

    def team_peer_ids(self) -> QuerySet:
        return Membership.objects.filter(program=self.program, supervisor_id=self.filters.team_id).values("user_id")

    def clients(self) -> QuerySet:
        """Participants in scope, after the peer, team and demographic filters (built once per report)."""
        if "clients" not in self.cache:
            self.cache["clients"] = self._clients()
        return self.cache["clients"].all()

    def _clients(self) -> QuerySet:
        clients = Client.objects.filter(participant_q(self.user, emergency=False), program=self.program)
        f = self.filters
        if f.peer_id:
            clients = clients.filter(primary_peer_id=f.peer_id)
        if f.team_id:
            clients = clients.filter(Q(primary_peer_id=f.team_id) | Q(primary_peer_id__in=self.team_peer_ids()))
        if f.demographic and ":" in f.demographic:
            question, code = f.demographic.split(":", 1)
            latest = (Observation.objects.filter(client=OuterRef("pk"), question=question, declined=False)
                      .order_by("-observed_on", "-pk").values("codes")[:1])
            clients = clients.annotate(demographic_codes=Subquery(latest)).filter(demographic_codes__contains=[code])
        return clients

    def in_period(self, prefix: str = "session_date") -> Q:
        return Q(**{f"{prefix}__gte": self.period.start, f"{prefix}__lte": self.period.end})

    def notes(self) -> QuerySet:
        """Signed notes of in-scope participants with a service date in the period, after the note filters."""
        notes = SessionNote.objects.signed().filter(self.in_period(), client__in=self.clients())
        if self.filters.service_code_id:
            notes = notes.filter(service_code_id=self.filters.service_code_id)
        if self.filters.contact_type:
            notes = notes.filter(contact_type=self.filters.contact_type)
        return notes

    @property
    def whole_months(self) -> tuple[datetime.date, datetime.date] | None:
        """The first days of the first and last calendar months wholly inside the period (None: none is):
        those months are read from the monthly summary (``NoteMonth``), the period's other days from the
        notes themselves."""
        return full_months(self.period)

    def partial_notes(self) -> QuerySet:
        """``notes()`` on the period's days outside its whole months (none for a period of whole months)."""
        months = self.whole_months
        if months is None:
            return self.notes()
        first, last = months
        last_day = (last + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        return self.notes().filter(Q(session_date__lt=first) | Q(session_date__gt=last_day))

    def note_months(self) -> QuerySet:
        """The monthly summary rows of the period's whole months in scope, after the note filters: the same
        notes as ``notes()`` on those months, counted per participant, month and kind (``NoteMonth``), or
        per program, month and kind when the report counts the whole program (``ProgramMonth``)."""
        months = self.whole_months
        if months is None:
            return NoteMonth.objects.none()
        if self.whole_program:
            rows = ProgramMonth.objects.filter(month__gte=months[0], month__lte=months[1], program=self.program)
        else:
            rows = NoteMonth.objects.filter(month__gte=months[0], month__lte=months[1], client__in=self.clients())
        if self.filters.service_code_id:
            rows = rows.filter(service_code_id=self.filters.service_code_id)
        if self.filters.contact_type:
            rows = rows.filter(contact_type=self.filters.contact_type)
        return rows

    def note_cube(self) -> list[dict]:
        """The period's signed notes in scope, counted and summed per (type, setting, code, late, crisis,
        bills, month): the whole months from the monthly summary (``note_month_report_idx``, index-only; the
        program's roll-up for a whole-program report),
        the days outside them from the notes' covering index (``note_report_idx``); every note count and
        sum, and the monthly chart, is read from it (``Measure.cube``)."""
        if "cube" not in self.cache:
            kinds = ("contact_type", "setting", "service_code_id", "late_entry", "crisis_flag", "bills", "no_units")
            totals = ("notes", "minutes", "units_computed", "units_billable")
            rows = []
            if self.whole_months:
                rows += list(self.note_months().order_by().values(*kinds, "month")
                             .annotate(**{f"{t}_sum": Sum(t) for t in totals}))
                for row in rows:
                    for t in totals:
                        row[t] = row.pop(f"{t}_sum")
            if self.whole_months != (self.period.start, self.period.end.replace(day=1)):
                bills = Case(When(units_billable__gt=0, then=True), default=False, output_field=BooleanField())
                no_units = Case(When(units_computed__gt=0, then=False), default=True, output_field=BooleanField())
                partial = list(self.partial_notes().order_by()
                               .values(*kinds[:-2], "session_date", bills=bills, no_units=no_units)
                               .annotate(notes=Count("pk"), minutes=Sum("duration_minutes"),
                                         units_computed=Sum("units_computed"), units_billable=Sum("units_billable")))
                for row in partial:
                    row["month"] = row.pop("session_date").replace(day=1)
                rows += partial
            codes = {pk: (code, billable) for pk, code, billable in
                     ServiceCode.objects.filter(program=self.program).values_list("pk", "code", "billable")}
            for row in rows:
                code, billable = codes.get(row["service_code_id"], (None, False))
                row["service_code__code"] = code
                row["no_bill_reason"] = no_bill_reason(row, billable)
                counted = billable and row["contact_type"] != SessionNote.ContactType.OUTREACH
                row["units_over_cap"] = (row["units_computed"] or 0) - (row["units_billable"] or 0) if counted else 0
            self.cache["cube"] = rows
        return self.cache["cube"]

    def staff(self) -> QuerySet:
        """Peer specialists' memberships in scope (the user's own, their supervisees', the program's)."""
        staff = Membership.objects.filter(staff_q(self.user), program=self.program, role=Membership.Role.PEER)
        if self.filters.peer_id:
            staff = staff.filter(user_id=self.filters.peer_id)
        if self.filters.team_id:
            staff = staff.filter(supervisor_id=self.filters.team_id)
        return staff

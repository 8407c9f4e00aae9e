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

from clients.models import Client, ServiceCode, SessionNote
from outcomes.models import Observation
from recovery.models import Membership, Program
from recovery.scoping import participant_q, staff_q
from reports.periods import Period


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

    @property
    def zone(self):
        return self.program.zone

    @property
    def as_of(self) -> datetime.date:
        """The day "now" measures (engagement) are taken on: the period's end, or today if earlier."""
        return min(self.period.end, self.today)

    def team_peer_ids(self) -> QuerySet:
        return Membership.objects.filter(program=self.program, supervisor_id=self.filters.team_id).values("user_id")

    def clients(self) -> QuerySet:
        """Participants in scope, after the peer, team and demographic filters."""
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

    def note_cube(self) -> list[dict]:
        """The period's signed notes in scope, counted and summed per (type, setting, code, late, crisis,
        bills, day): one scan of the notes' covering index (``note_report_idx``), grouped on plain columns;
        every note count and sum, and the monthly chart, is read from it (``Measure.cube``)."""
        if "cube" not in self.cache:
            bills = Case(When(units_billable__gt=0, then=True), default=False, output_field=BooleanField())
            rows = list(self.notes().order_by().values("contact_type", "setting", "service_code_id", "late_entry",
                                                       "crisis_flag", "session_date", bills=bills)
                        .annotate(notes=Count("pk"), minutes=Sum("duration_minutes"),
                                  units_computed=Sum("units_computed"), units_billable=Sum("units_billable")))
            codes = dict(ServiceCode.objects.filter(program=self.program).values_list("pk", "code"))
            for row in rows:
                row["service_code__code"] = codes.get(row["service_code_id"])
                row["month"] = row["session_date"].replace(day=1)
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

"""Billing units: minutes to units by the program's rounding rule, then the service code's caps.

Caps are per participant and service code, per day and per calendar year, counting the billable units of
signed notes. A note that would pass a cap bills only what is left, and says why (DOMAIN.md: Virginia
Medicaid peer services, 12VAC30-130-5210). Staff without a billable credential on the session date
(``peers.services.is_billable``) get the note flagged, never silently billed.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import ngettext

from clients.models import ServiceCode, SessionNote
from recovery.models import Program

Rounding = Program.UnitRounding

OUTREACH_NOT_BILLABLE = "Outreach attempts are not billable."
NO_SERVICE_CODE = "No service code: the session is not billed."


def units_for_minutes(minutes: int, *, unit_minutes: int, rounding: str) -> int:
    """Units for a session of ``minutes``.

    eight_minute (CMS "8-minute rule"): a unit counts when more than half of it (8 of 15 minutes) was
    delivered: 7 min → 0, 8 → 1, 22 → 1, 23 → 2, 240 → 16. whole_units: only complete units.
    any_part: any started unit counts.
    """
    if minutes <= 0:
        return 0
    whole, rest = divmod(minutes, unit_minutes)
    if rounding == Rounding.WHOLE_UNITS:
        return whole
    if rounding == Rounding.ANY_PART:
        return math.ceil(minutes / unit_minutes)
    return whole + (1 if rest > unit_minutes / 2 else 0)


@dataclass(frozen=True)
class Usage:
    """Billable units already used by a participant under one code: on the day, and in the calendar year."""

    day: int = 0
    year: int = 0


@dataclass
class UnitsAssessment:
    """What signing a note would bill, and why it may be less than its minutes are worth."""

    computed: int
    billable: int
    reasons: list[str] = field(default_factory=list)
    flag_reason: str = ""  # the author was not billable on the session date

    @property
    def capped(self) -> bool:
        return self.billable < self.computed

    @property
    def reason_text(self) -> str:
        return " ".join(self.reasons)[:300]


def units_capped(computed: int, code: ServiceCode, usage: Usage, day: datetime.date) -> tuple[int, list[str]]:
    """Apply the daily then the yearly cap of ``code`` to ``computed`` units, with the reasons."""
    billable, reasons = computed, []
    if code.daily_unit_cap is not None and billable > (left := max(code.daily_unit_cap - usage.day, 0)):
        reasons.append(ngettext(
            "Daily cap: %(code)s allows %(cap)s units a day per participant and %(used)s were already billed on "
            "%(day)s, so %(left)s unit of %(computed)s can be billed.",
            "Daily cap: %(code)s allows %(cap)s units a day per participant and %(used)s were already billed on "
            "%(day)s, so %(left)s units of %(computed)s can be billed.", left) % {
                "code": code.code, "cap": code.daily_unit_cap, "used": usage.day, "day": f"{day:%b %-d, %Y}",
                "left": left, "computed": computed})
        billable = left
    if code.yearly_unit_cap is not None and billable > (left := max(code.yearly_unit_cap - usage.year, 0)):
        reasons.append(ngettext(
            "Yearly cap: %(code)s allows %(cap)s units a calendar year per participant and %(used)s were already "
            "billed in %(year)s, so %(left)s unit can be billed.",
            "Yearly cap: %(code)s allows %(cap)s units a calendar year per participant and %(used)s were already "
            "billed in %(year)s, so %(left)s units can be billed.", left) % {
                "code": code.code, "cap": f"{code.yearly_unit_cap:,}", "used": f"{usage.year:,}", "year": day.year,
                "left": left})
        billable = left
    return billable, reasons


def units_used(*, client_id: int, code: ServiceCode, day: datetime.date, exclude_note_id: int | None = None) -> Usage:
    """Billable units of the participant's signed notes under ``code``: on ``day`` and in its year (one query)."""
    notes = SessionNote.objects.signed().filter(client_id=client_id, service_code=code, session_date__year=day.year)
    if exclude_note_id is not None:
        notes = notes.exclude(pk=exclude_note_id)
    totals = notes.aggregate(day=Sum("units_billable", filter=Q(session_date=day), default=0),
                             year=Sum("units_billable", default=0))
    return Usage(day=totals["day"], year=totals["year"])


def units_assess(note: SessionNote, program: Program) -> UnitsAssessment:
    """What signing ``note`` now would bill (two queries when it has a billable code, none otherwise)."""
    code = note.service_code
    computed = units_for_minutes(note.duration_minutes, unit_minutes=code.unit_minutes if code else 15,
                                 rounding=program.unit_rounding)
    if code is None:
        return UnitsAssessment(computed, 0, [NO_SERVICE_CODE])
    if not code.billable:
        return UnitsAssessment(computed, 0, [f"{code.code} is not a billable service code."])
    if note.contact_type == SessionNote.ContactType.OUTREACH:
        return UnitsAssessment(computed, 0, [OUTREACH_NOT_BILLABLE])
    usage = units_used(client_id=note.client_id, code=code, day=note.session_date, exclude_note_id=note.pk)
    billable, reasons = units_capped(computed, code, usage, note.session_date)
    return UnitsAssessment(computed, billable, reasons, staff_flag(note.author, program, note.session_date))


def staff_flag(author, program: Program, day: datetime.date) -> str:
    """Why a billable note by ``author`` on ``day`` needs a look, or "" when the author was billable."""
    from peers.services import is_billable

    if is_billable(author, program, day):
        return ""
    return (f"{author.full_name} held no credential that makes services billable on {day:%b %-d, %Y} "
            "(for example a current peer recovery specialist registration): check before billing.")


def units_this_year(client_id: int, year: int) -> list[dict]:
    """Per service code: billable units of signed notes in ``year``, the yearly cap and what is left (one query)."""
    rows = (SessionNote.objects.signed().filter(client_id=client_id, session_date__year=year,
                                                 service_code__isnull=False)
            .values("service_code__code", "service_code__description", "service_code__yearly_unit_cap")
            .annotate(used=Sum("units_billable"), computed=Sum("units_computed"))
            .order_by("service_code__code"))
    return [{
        "code": r["service_code__code"], "description": r["service_code__description"], "used": r["used"],
        "computed": r["computed"], "cap": r["service_code__yearly_unit_cap"],
        "left": None if r["service_code__yearly_unit_cap"] is None else max(r["service_code__yearly_unit_cap"]
                                                                              - r["used"], 0),
    } for r in rows]


# --- The live estimate in the note form ------------------------------------------------------------------

@dataclass(frozen=True)
class EstimateLine:
    """One line under the note form's units: a cap or an authorization, and how close it is."""

    text: str
    level: str = "info"  # info, warning (80 % used), danger (over, or outside)


# Lines an app above clients adds to the live estimate (billing: what the service authorization has
# left). Each is called with ``note=`` (unsaved, as typed), ``program=`` and ``billable=`` (the units
# this note will bill) and returns a list of ``EstimateLine``; filled in the app's ``AppConfig.ready()``.
ESTIMATE_LINES: list[Callable[..., list[EstimateLine]]] = []

WARN_SHARE = 0.8  # "nearly used up" from 80 % of a cap or an authorization


def level_for(used_after: int, limit: int) -> str:
    """How close ``used_after`` units (this note included) come to ``limit``."""
    if used_after > limit:
        return "danger"
    return "warning" if limit and used_after >= WARN_SHARE * limit else "info"


@dataclass
class UnitsEstimate:
    assessment: UnitsAssessment
    lines: list[EstimateLine] = field(default_factory=list)


def units_estimate(note: SessionNote, program: Program) -> UnitsEstimate:
    """What the note being written will bill, by ``units_assess`` (the function ``note_sign`` stores),
    with what the daily and yearly caps have left after it and the lines of the apps above."""
    assessment = units_assess(note, program)
    estimate = UnitsEstimate(assessment)
    code = note.service_code
    if code is None or not code.billable or note.contact_type == SessionNote.ContactType.OUTREACH:
        return estimate
    usage = units_used(client_id=note.client_id, code=code, day=note.session_date, exclude_note_id=note.pk)
    for cap, used, where in ((code.daily_unit_cap, usage.day, f"on {note.session_date:%b %-d}"),
                             (code.yearly_unit_cap, usage.year, f"in {note.session_date.year}")):
        if cap is None:
            continue
        level = level_for(used + assessment.computed, cap)
        left = max(cap - used - assessment.billable, 0)
        state = {"danger": "over the cap", "warning": "nearly used up" if left else "used up", "info": ""}[level]
        estimate.lines.append(EstimateLine(
            f"{'Daily' if where.startswith('on') else 'Yearly'} cap{f' ({state})' if state else ''}: "
            f"{left:,} of {cap:,} units left {where} after this note.", level))
    for extra in ESTIMATE_LINES:
        estimate.lines.extend(extra(note=note, program=program, billable=assessment.billable))
    return estimate

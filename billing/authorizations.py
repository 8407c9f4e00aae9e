"""Service authorizations: which one covers a service, how many of its units are used, and the 30-day rule.

Units used are the billable units (``SessionNote.units_billable``, fixed at signing by
``clients.units.units_assess``) of the participant's signed notes under the authorization's service code
and within its dates. The same rules serve the note form's live estimate (``estimate_lines``) and the
billing review (``billing.review``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min, Sum

from billing.models import Coverage, ServiceAuthorization
from clients.models import SessionNote
from clients.units import EstimateLine, level_for


def start_is_late(recommended_on: datetime.date, first_service_on: datetime.date, days: int) -> bool:
    """Did services begin more than ``days`` (``Program.authorization_start_days``) after the
    recommendation? Day ``days`` itself is still in time."""
    return (first_service_on - recommended_on).days > days


@dataclass(frozen=True)
class Standing:
    """An authorization seen from one note: the units other notes used and what this one adds."""

    authorization: ServiceAuthorization
    used_before: int
    units: int

    @property
    def left_before(self) -> int:
        return max(self.authorization.units_authorized - self.used_before, 0)

    @property
    def left_after(self) -> int:
        return max(self.authorization.units_authorized - self.used_before - self.units, 0)

    @property
    def over(self) -> bool:
        return self.used_before + self.units > self.authorization.units_authorized

    @property
    def level(self) -> str:
        return level_for(self.used_before + self.units, self.authorization.units_authorized)


def usage_under(authorization: ServiceAuthorization, *,
                exclude_note_id: int | None = None) -> tuple[int, datetime.date | None]:
    """Units of the participant's signed notes under the authorization, and the first service date (one query)."""
    notes = SessionNote.objects.signed().filter(
        client_id=authorization.client_id, service_code_id=authorization.service_code_id,
        session_date__gte=authorization.starts_on, session_date__lte=authorization.ends_on)
    if exclude_note_id is not None:
        notes = notes.exclude(pk=exclude_note_id)
    totals = notes.aggregate(used=Sum("units_billable", default=0), first=Min("session_date"))
    return totals["used"], totals["first"]


def estimate_lines(*, note: SessionNote, program, billable: int) -> list[EstimateLine]:
    """The note form's authorization line (``clients.units.ESTIMATE_LINES``): "6 of 96 units left, ends
    Mar 31", a warning from 80 %, and what billing will flag (over, outside, none, late start)."""
    day, code = note.session_date, note.service_code
    coverage = Coverage.objects.filter(client_id=note.client_id).on(day).select_related("payer").first()
    if coverage is None:
        return [EstimateLine(f"No coverage on file for {day:%b %-d, %Y}: billing will flag this note.", "warning")]
    payer = coverage.payer
    if not payer.requires_authorization:
        return [EstimateLine(f"Covered by {payer.name}: no service authorization needed.")]
    authorizations = list(ServiceAuthorization.objects.filter(
        client_id=note.client_id, payer=payer, service_code=code).order_by("-starts_on")[:10])
    authorization = next((a for a in authorizations if a.covers(day)), None)
    if authorization is None:
        if authorizations:
            nearest = min(authorizations, key=lambda a: min(abs((a.starts_on - day).days), abs((a.ends_on - day).days)))
            return [EstimateLine(
                f"{day:%b %-d, %Y} is outside authorization {nearest.number} ({nearest.starts_on:%b %-d} to "
                f"{nearest.ends_on:%b %-d, %Y}): the note will be flagged for billing, not blocked.", "danger")]
        return [EstimateLine(f"No service authorization from {payer.name} for {code.code}: the note will be "
                             "flagged for billing, not blocked.", "danger")]
    used, first = usage_under(authorization, exclude_note_id=note.pk)
    standing = Standing(authorization, used, billable)
    total, ends = authorization.units_authorized, f"{authorization.ends_on:%b %-d}"
    if standing.over:
        text = (f"Over authorization {authorization.number}: this note needs {billable} unit"
                f"{'s' if billable != 1 else ''} and {standing.left_before} of {total} are left (ends {ends}).")
    else:
        state = "" if standing.level != "warning" else " (nearly used up)" if standing.left_after else " (used up)"
        text = f"Authorization {authorization.number}{state}: {standing.left_after} of {total} units left, ends {ends}."
    lines = [EstimateLine(text, standing.level)]
    first = min(first, day) if first else day
    if start_is_late(authorization.recommended_on, first, program.authorization_start_days):
        lines.append(EstimateLine(
            f"Services began on {first:%b %-d}, more than {program.authorization_start_days} days after the "
            f"recommendation of {authorization.recommended_on:%b %-d}: billing will flag this note.", "warning"))
    return lines

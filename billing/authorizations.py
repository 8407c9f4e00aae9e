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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        return [EstimateLine(_("No coverage on file for %(day)s: billing will flag this note.")
                             % {"day": _date(day)}, "warning")]
    payer = coverage.payer
    if not payer.requires_authorization:
        return [EstimateLine(_("Covered by %(payer)s: no service authorization needed.") % {"payer": payer.name})]
    authorizations = list(ServiceAuthorization.objects.filter(
        client_id=note.client_id, payer=payer, service_code=code).order_by("-starts_on")[:10])
    authorization = next((a for a in authorizations if a.covers(day)), None)
    if authorization is None:
        if authorizations:
            nearest = min(authorizations, key=lambda a: min(abs((a.starts_on - day).days), abs((a.ends_on - day).days)))
            return [EstimateLine(
                _("%(day)s is outside authorization %(number)s (%(start)s to %(end)s): the note will be flagged "
                  "for billing, not blocked.") % {"day": _date(day), "number": nearest.number,
                                                  "start": _date(nearest.starts_on, "M j"),
                                                  "end": _date(nearest.ends_on)}, "danger")]
        return [EstimateLine(_("No service authorization from %(payer)s for %(code)s: the note will be "
                               "flagged for billing, not blocked.") % {"payer": payer.name, "code": code.code},
                             "danger")]
    used, first = usage_under(authorization, exclude_note_id=note.pk)
    standing = Standing(authorization, used, billable)
    total, ends = authorization.units_authorized, _date(authorization.ends_on, "M j")
    values = {"number": authorization.number, "units": billable, "left": standing.left_before, "total": total,
              "ends": ends, "left_after": standing.left_after}
    if standing.over:
        text = ngettext(
            "Over authorization %(number)s: this note needs %(units)s unit and %(left)s of %(total)s are left "
            "(ends %(ends)s).",
            "Over authorization %(number)s: this note needs %(units)s units and %(left)s of %(total)s are left "
            "(ends %(ends)s).", billable) % values
    elif standing.level != "warning":
        text = _("Authorization %(number)s: %(left_after)s of %(total)s units left, ends %(ends)s.") % values
    elif standing.left_after:
        text = _("Authorization %(number)s (nearly used up): %(left_after)s of %(total)s units left, "
                 "ends %(ends)s.") % values
    else:
        text = _("Authorization %(number)s (used up): %(left_after)s of %(total)s units left, ends %(ends)s.") % values
    lines = [EstimateLine(text, standing.level)]
    first = min(first, day) if first else day
    if start_is_late(authorization.recommended_on, first, program.authorization_start_days):
        lines.append(EstimateLine(
            _("Services began on %(first)s, more than %(days)s days after the recommendation of %(recommended)s: "
              "billing will flag this note.") % {"first": _date(first, "M j"), "days": program.authorization_start_days,
                                                 "recommended": _date(authorization.recommended_on, "M j")},
            "warning"))
    return lines


def _date(day: datetime.date, fmt: str = "M j, Y") -> str:
    """A date as the estimate lines write it ("Mar 5, 2026", or "Mar 5"), in the reader's language."""
    return date_format(day, fmt)

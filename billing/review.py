"""The billing review: the signed, billable notes of a period with everything a claim needs, and why a
note cannot be billed yet. A constant number of queries, whatever the number of notes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from billing.authorizations import start_is_late
from billing.models import ClaimLine, Coverage, ServiceAuthorization
from clients.models import SessionNote
from peers.models import Credential
from recovery.models import Membership, Program
from supervision.models import NoteReview

NOT_BILLABLE_STAFF = _("Rendering staff not billable on the service date")
NO_COVERAGE = _("No coverage on the service date")
NO_AUTHORIZATION = _("No service authorization for the date")
OVER_CAP = _("Over the daily or yearly cap (no billable units)")
OVER_AUTHORIZATION = _("Over the authorized units")
LATE_ENTRY = _("Late entry awaiting supervisor review")
LATE_START = _("Services began more than %(days)s days after the recommendation")
# Reasons in the order the page lists them.
REASONS = [NOT_BILLABLE_STAFF, NO_COVERAGE, NO_AUTHORIZATION, OVER_CAP, OVER_AUTHORIZATION, LATE_ENTRY, LATE_START]


@dataclass
class ReviewRow:
    note: SessionNote
    coverage: Coverage | None = None
    authorization: ServiceAuthorization | None = None
    registration: str = ""
    supervisor: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reasons


def billable_notes(program: Program, start: datetime.date, end: datetime.date):
    """Signed notes of the period under a billable code, not outreach, not billed yet."""
    return (SessionNote.objects.signed()
            .filter(client__program=program, session_date__gte=start, session_date__lte=end,
                    service_code__billable=True)
            .exclude(contact_type=SessionNote.ContactType.OUTREACH)
            .exclude(pk__in=ClaimLine.objects.values("note_id"))
            .select_related("client", "author", "service_code", "review")
            .order_by("session_date", "client__name_key", "signed_at", "pk"))


def _registrations(program: Program, author_ids: set[int]) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = defaultdict(list)
    rows = Credential.objects.filter(membership__program=program, membership__user_id__in=author_ids,
                                     type__makes_billable=True, issued_on__isnull=False).values_list(
        "membership__user_id", "number", "issued_on", "expires_on", "ended_on")
    for user_id, number, issued, expires, ended in rows:
        found[user_id].append((number, issued, expires, ended))
    return found


def _registration_on(credentials: list[tuple], day: datetime.date) -> str:
    for number, issued, expires, ended in credentials:
        if issued <= day and (expires is None or day <= expires) and (ended is None or day < ended):
            return number
    return ""


def _used_before(authorization: ServiceAuthorization, note: SessionNote, usage: list[tuple]) -> int:
    """Units of the notes under the authorization that come before ``note`` (date, signature, id)."""
    key = (note.session_date, note.signed_at, note.pk)
    return sum(units for client_id, code_id, day, signed_at, pk, units in usage
               if client_id == authorization.client_id and code_id == authorization.service_code_id
               and authorization.covers(day) and (day, signed_at, pk) < key)


def review_rows(program: Program, start: datetime.date, end: datetime.date) -> list[ReviewRow]:
    """Every billable note of the period, with its claim data and the reasons it cannot be billed yet."""
    notes = list(billable_notes(program, start, end))
    if not notes:
        return []
    client_ids = {n.client_id for n in notes}
    author_ids = {n.author_id for n in notes}
    coverages = defaultdict(list)
    for coverage in Coverage.objects.filter(client_id__in=client_ids, starts_on__lte=end).select_related("payer"):
        coverages[coverage.client_id].append(coverage)
    authorizations = defaultdict(list)
    for authorization in ServiceAuthorization.objects.filter(client_id__in=client_ids, starts_on__lte=end,
                                                             ends_on__gte=start):
        authorizations[authorization.client_id].append(authorization)
    earliest = min((a.starts_on for group in authorizations.values() for a in group), default=start)
    usage = list(SessionNote.objects.signed().filter(
        client_id__in=client_ids, session_date__gte=earliest, session_date__lte=end, service_code__isnull=False,
    ).values_list("client_id", "service_code_id", "session_date", "signed_at", "pk", "units_billable"))
    registrations = _registrations(program, author_ids)
    supervisors = dict(Membership.objects.filter(program=program, user_id__in=author_ids)
                       .values_list("user_id", "supervisor__full_name"))
    rows = []
    for note in notes:
        day = note.session_date
        row = ReviewRow(note, registration=_registration_on(registrations.get(note.author_id, []), day),
                        supervisor=supervisors.get(note.author_id) or "")
        if note.billing_flagged:
            row.reasons.append(NOT_BILLABLE_STAFF)
        row.coverage = next((c for c in coverages[note.client_id] if c.covers(day)), None)
        if row.coverage is None or not row.coverage.payer.bills:
            row.reasons.append(NO_COVERAGE)
        elif row.coverage.payer.requires_authorization:
            row.authorization = next((a for a in authorizations[note.client_id]
                                      if a.covers(day) and a.service_code_id == note.service_code_id
                                      and a.payer_id == row.coverage.payer_id), None)
            if row.authorization is None:
                row.reasons.append(NO_AUTHORIZATION)
        if note.units_billable == 0:
            row.reasons.append(OVER_CAP)
        if row.authorization is not None:
            before = _used_before(row.authorization, note, usage)
            if before + note.units_billable > row.authorization.units_authorized:
                row.reasons.append(OVER_AUTHORIZATION)
            first = min((d for c, s, d, *_ in usage if c == note.client_id and s == note.service_code_id
                         and row.authorization.covers(d)), default=day)
            if start_is_late(row.authorization.recommended_on, first, program.authorization_start_days):
                row.reasons.append(LATE_START % {"days": program.authorization_start_days})
        if note.late_entry and getattr(_review_of(note), "status", None) != NoteReview.Status.APPROVED:
            row.reasons.append(LATE_ENTRY)
        rows.append(row)
    return rows


def _review_of(note: SessionNote) -> NoteReview | None:
    try:
        return note.review
    except NoteReview.DoesNotExist:
        return None

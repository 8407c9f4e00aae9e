"""Bringing a program's participants in from a spreadsheet (CSV or XLSX).

``participants_check`` reads every row and says what it would become: **new**, **matches existing** (the
duplicate check of intake: same program, same normalised name, same birth date; such a row creates
nothing, so running the same file again creates nothing new) or **error** with the reasons. It writes
nothing. ``participants_import`` checks again and, only if no row has an error, creates every new
participant (with their first episode, their assignment and, when the file says a consent is on file,
that consent) in one transaction, in a fixed number of queries, under a change-history context that
marks each record as created by an import.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pghistory
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from clients.models import CaseAssignment, Client, Consent, Episode
from clients.names import has_a_letter, name_key
from clients.services.participants import CARRYING_ROLES
from recovery.fields import EARLIEST_BIRTH_DATE, EARLIEST_SERVICE_DATE
from recovery.importing import ERROR, EXISTING, NEW, ImportRow, table_rows
from recovery.models import Membership, Program, User
from recovery.tables import Table, parse_date

IMPORT_REASON = "Enrolled by import."
CONSENT_ON_FILE = "As written on the paper consent on file (recorded by import)."

COLUMNS = ["full_name", "preferred_name", "birth_date", "phone", "email", "intake_date", "referral_source",
           "referral_detail", "assigned_peer_email", "consent_on_file", "consent_signed_on", "consent_expires_on"]
REQUIRED = ["full_name", "birth_date", "intake_date"]
EXAMPLE = ["Jordan Example", "Jo", "1985-04-12", "540-555-0100", "", "2024-01-15", "treatment",
           "Valley Clinic", "peer@program.example", "yes", "2024-01-15", "2025-01-15"]
YES, NO = {"yes", "y", "true", "1", "x"}, {"", "no", "n", "false", "0"}


@dataclass
class ParticipantRow(ImportRow):
    birth_date: datetime.date | None = None
    intake_date: datetime.date | None = None
    consent_signed_on: datetime.date | None = None
    consent_expires_on: datetime.date | None = None
    referral_source: str = ""
    peer: User | None = None
    consent: bool = False


def _referral_sources() -> dict[str, str]:
    sources = {}
    for value, label in Episode.ReferralSource.choices:
        sources[value] = value
        sources[str(label).lower()] = value
    return sources


def _date(row: ParticipantRow, column: str, label: str, *, earliest: datetime.date, today: datetime.date,
          required: bool) -> datetime.date | None:
    text = row.values.get(column, "")
    if not text:
        if required:
            row.error(f"{label}: missing.")
        return None
    day = parse_date(text)
    if day is None:
        row.error(f"{label}: \"{text}\" is not a date (use 2024-03-01 or 03/01/2024).")
    elif day < earliest or day > today:
        row.error(f"{label}: {day:%Y-%m-%d} is not between {earliest:%Y-%m-%d} and today.")
        return None
    return day


def _check_row(row: ParticipantRow, *, today: datetime.date, sources: dict[str, str],
               peers: dict[str, User]) -> None:
    v = row.values
    if not has_a_letter(v.get("full_name", "")):
        row.error("Name: missing.")
    elif len(v["full_name"]) > Client._meta.get_field("full_name").max_length:
        row.error("Name: longer than 150 characters.")
    row.birth_date = _date(row, "birth_date", "Birth date", earliest=EARLIEST_BIRTH_DATE, today=today, required=True)
    row.intake_date = _date(row, "intake_date", "Intake date", earliest=EARLIEST_SERVICE_DATE, today=today,
                            required=True)
    if row.birth_date and row.intake_date and row.intake_date < row.birth_date:
        row.error("Intake date: before the birth date.")
    if v.get("email"):
        try:
            validate_email(v["email"])
        except ValidationError:
            row.error(f"Email: \"{v['email']}\" is not an email address.")
    for column, limit in (("preferred_name", 80), ("phone", 30), ("referral_detail", 200)):
        if len(v.get(column, "")) > limit:
            row.error(f"{column.replace('_', ' ').capitalize()}: longer than {limit} characters.")
    row.referral_source = sources.get(v.get("referral_source", "").lower() or "other", "")
    if not row.referral_source:
        row.error(f"Referral source: \"{v['referral_source']}\" is not one of "
                  f"{', '.join(Episode.ReferralSource.values)}.")
    peer_email = v.get("assigned_peer_email", "").lower()
    if peer_email:
        row.peer = peers.get(peer_email)
        if row.peer is None:
            row.error(f"Assigned peer: {peer_email} is not a peer specialist or supervisor of this program.")
    consent = v.get("consent_on_file", "").lower()
    if consent not in YES | NO:
        row.error(f"Consent on file: \"{v['consent_on_file']}\" is not yes or no.")
    row.consent = consent in YES
    if row.consent:
        row.consent_signed_on = _date(row, "consent_signed_on", "Consent signed on", earliest=EARLIEST_SERVICE_DATE,
                                      today=today, required=True)
        row.consent_expires_on = _date(row, "consent_expires_on", "Consent expires on",
                                       earliest=EARLIEST_SERVICE_DATE, today=datetime.date(9999, 12, 31),
                                       required=False)
        if row.consent_signed_on and row.consent_expires_on and row.consent_expires_on < row.consent_signed_on:
            row.error("Consent expires on: before it was signed.")


def participants_check(*, program: Program, table: Table) -> list[ParticipantRow]:
    """What each row would become (nothing is written). Reads the program's staff and existing keys once."""
    rows, complete = table_rows(table, ParticipantRow, REQUIRED)
    if not complete:
        return rows
    today = program.today()
    sources = _referral_sources()
    carriers = Membership.objects.filter(program=program, is_active=True, role__in=CARRYING_ROLES,
                                         user__is_active=True).select_related("user")
    peers = {m.user.email.lower(): m.user for m in carriers}
    for row in rows:
        _check_row(row, today=today, sources=sources, peers=peers)
    keys = {(name_key(row.name), row.birth_date) for row in rows if row.outcome != ERROR}
    existing = set(Client.objects.filter(program=program, name_key__in={k for k, _ in keys},
                                         birth_date__in={b for _, b in keys}).values_list("name_key", "birth_date"))
    first_line: dict[tuple, int] = {}
    for row in rows:
        if row.outcome == ERROR:
            continue
        key = (name_key(row.name), row.birth_date)
        if key in existing:
            row.outcome = EXISTING
        elif key in first_line:
            row.error(f"The same person (name and birth date) as row {first_line[key]}.")
        else:
            first_line[key] = row.line
    return rows


@transaction.atomic
def participants_import(*, program: Program, by: User, table: Table, source: str) -> list[ParticipantRow]:
    """Create the new rows' participants, all or nothing. Raises ValidationError if a row has an error."""
    rows = participants_check(program=program, table=table)
    errors = [row for row in rows if row.outcome == ERROR]
    if errors:
        raise ValidationError(ngettext("%(count)s row has errors: nothing was imported.",
                                       "%(count)s rows have errors: nothing was imported.", len(errors))
                              % {"count": len(errors)})
    new = [row for row in rows if row.outcome == NEW]
    now = timezone.now()
    with pghistory.context(import_source=source, imported_by=by.pk):
        clients = []
        for row in new:
            v = row.values
            client = Client(program=program, full_name=v["full_name"], preferred_name=v.get("preferred_name", ""),
                            birth_date=row.birth_date, phone=v.get("phone", ""), email=v.get("email", ""),
                            primary_peer=row.peer, status=Client.Status.ACTIVE, created_by=by)
            client.set_name_keys()
            clients.append(client)
        Client.objects.bulk_create(clients, batch_size=1000)
        Episode.objects.bulk_create([
            Episode(client=client, started_on=row.intake_date, referral_source=row.referral_source,
                    referral_detail=row.values.get("referral_detail", ""), created_by=by)
            for client, row in zip(clients, new, strict=True)], batch_size=1000)
        CaseAssignment.objects.bulk_create([
            CaseAssignment(client=client, peer=row.peer, started_at=now, assigned_by=by, reason=IMPORT_REASON)
            for client, row in zip(clients, new, strict=True) if row.peer is not None], batch_size=1000)
        Consent.objects.bulk_create([
            Consent(client=client, discloser=program.name, information=CONSENT_ON_FILE, recipients=CONSENT_ON_FILE,
                    purpose=CONSENT_ON_FILE, right_to_revoke_explained=True,
                    expiry_event=Consent.ExpiryEvent.DATE if row.consent_expires_on else Consent.ExpiryEvent.OTHER,
                    expiry_event_detail="" if row.consent_expires_on else CONSENT_ON_FILE,
                    expires_on=row.consent_expires_on, signed_on=row.consent_signed_on,
                    signature_method=Consent.SignatureMethod.PAPER, created_by=by)
            for client, row in zip(clients, new, strict=True) if row.consent], batch_size=1000)
    return rows

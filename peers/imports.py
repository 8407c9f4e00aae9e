"""Bringing a program's staff in from a spreadsheet (CSV or XLSX): name, email, role, supervisor and one
credential a row (type, number, issued and expiry dates).

``staff_check`` says what each row would become: **new** (a new account, or an existing account joining
this program), **matches existing** (the email is already on this program's staff: nothing is created, so
running the same file again creates nothing new) or **error** with the reasons. ``staff_import`` checks
again and creates every new row, or none, under a change-history context marking them as imported.

New accounts are created **inactive and without a password**, and each is sent an invitation
(recovery.invitations): the person sets their password through its one-time link, which activates the
account; nobody can sign in to it before.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pghistory
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from peers.models import Credential, CredentialType
from recovery.fields import EARLIEST_STAFF_DATE, LATEST_RECORD_DATE
from recovery.importing import ERROR, EXISTING, NEW, ImportRow, table_rows
from recovery.invitations import invitation_create
from recovery.models import Membership, Program, User
from recovery.tables import Table, parse_date

COLUMNS = ["full_name", "email", "role", "supervisor_email", "credential_type", "credential_number",
           "credential_issued_on", "credential_expires_on"]
REQUIRED = ["full_name", "email", "role"]
EXAMPLE = ["Robin Example", "robin@program.example", "peer", "supervisor@program.example",
           "Peer Recovery Specialist", "PRS-12345", "2023-06-01", "2025-06-01"]


@dataclass
class StaffRow(ImportRow):
    email: str = ""
    role: str = ""
    user: User | None = None  # an existing account joining this program
    credential_type: CredentialType | None = None
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None


def _roles() -> dict[str, str]:
    roles = {}
    for value, label in Membership.Role.choices:
        roles[value] = value
        roles[str(label).lower()] = value
    roles["admin"] = Membership.Role.ADMIN
    return roles


def _date(row: StaffRow, column: str, label: str) -> datetime.date | None:
    text = row.values.get(column, "")
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        row.error(_("%(label)s: \"%(text)s\" is not a date (use 2024-03-01 or 03/01/2024).")
                  % {"label": label, "text": text})
    elif not EARLIEST_STAFF_DATE <= day <= LATEST_RECORD_DATE:
        row.error(_("%(label)s: %(day)s is not a plausible date.") % {"label": label, "day": f"{day:%Y-%m-%d}"})
        return None
    return day


def staff_check(*, program: Program, table: Table) -> list[StaffRow]:
    """What each row would become (nothing is written)."""
    rows, complete = table_rows(table, StaffRow, REQUIRED)
    if not complete:
        return rows
    roles = _roles()
    types = {t.name.lower(): t for t in CredentialType.objects.for_program(program).filter(is_active=True)}
    types.update({t.abbreviation.lower(): t for t in types.values() if t.abbreviation})
    emails = {row.values.get("email", "").strip().lower() for row in rows}
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    members = {m.user.email.lower(): m for m in Membership.objects.filter(program=program).select_related("user")}
    supervisors_in_file = set()
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        row.email = v.get("email", "").lower()
        if not v.get("full_name", "").strip():
            row.error(_("Name: missing."))
        try:
            validate_email(row.email)
        except ValidationError:
            row.error(_("Email: \"%(email)s\" is not an email address.") % {"email": v.get("email", "")})
        row.role = roles.get(v.get("role", "").lower(), "")
        if not row.role:
            row.error(_("Role: \"%(role)s\" is not peer, supervisor or admin.") % {"role": v.get("role", "")})
        elif row.role == Membership.Role.SUPERVISOR:
            supervisors_in_file.add(row.email)
        if row.email in seen:
            row.error(_("The same email as row %(line)s.") % {"line": seen[row.email]})
        seen.setdefault(row.email, row.line)
        type_name = v.get("credential_type", "").lower()
        if type_name:
            row.credential_type = types.get(type_name)
            if row.credential_type is None:
                row.error(_("Credential type: \"%(type)s\" is not one of this program's types.")
                          % {"type": v["credential_type"]})
            row.issued_on = _date(row, "credential_issued_on", _("Credential issued on"))
            row.expires_on = _date(row, "credential_expires_on", _("Credential expires on"))
            if bool(row.issued_on) != bool(row.expires_on):
                row.error(_("Credential: give both the issue and the expiry date, or neither (in training)."))
            elif row.issued_on and row.expires_on <= row.issued_on:
                row.error(_("Credential expires on: not after it was issued."))
        if row.outcome != ERROR and row.email in members:
            row.outcome = EXISTING
        row.user = users.get(row.email)
    active_supervisors = {e for e, m in members.items() if m.is_active and m.role == Membership.Role.SUPERVISOR}
    for row in rows:
        supervisor = row.values.get("supervisor_email", "").lower()
        if row.outcome == NEW and supervisor:
            if row.role != Membership.Role.PEER:
                row.error(_("Supervisor: only a peer specialist has one here."))
            elif supervisor not in active_supervisors | supervisors_in_file:
                row.error(_("Supervisor: %(email)s is not a supervisor of this program or of this file.")
                          % {"email": supervisor})
    return rows


@transaction.atomic
def staff_import(*, program: Program, by: User, table: Table, source: str) -> list[StaffRow]:
    """Create the new rows' accounts (inactive, no password), memberships and credentials: all or nothing."""
    rows = staff_check(program=program, table=table)
    if any(row.outcome == ERROR for row in rows):
        raise ValidationError(_("Some rows have errors: nothing was imported."))
    new = [row for row in rows if row.outcome == NEW]
    with pghistory.context(import_source=source, imported_by=by.pk):
        created = User.objects.bulk_create([
            User(email=row.email, full_name=row.values["full_name"].strip(), is_active=False,
                 password=make_password(None))
            for row in new if row.user is None])
        accounts = {u.email: u for u in created} | {row.email: row.user for row in new if row.user is not None}
        existing_supervisors = {m.user.email.lower(): m.user for m in Membership.objects.filter(
            program=program, role=Membership.Role.SUPERVISOR, is_active=True).select_related("user")}
        supervisors = existing_supervisors | accounts
        memberships = Membership.objects.bulk_create([
            Membership(user=accounts[row.email], program=program, role=row.role,
                       supervisor=supervisors.get(row.values.get("supervisor_email", "").lower()))
            for row in new])
        Credential.objects.bulk_create([
            Credential(membership=membership, type=row.credential_type, issued_on=row.issued_on,
                       expires_on=row.expires_on, number=row.values.get("credential_number", "")[:60])
            for membership, row in zip(memberships, new, strict=True) if row.credential_type is not None])
    # Each new account gets its invitation (a one-time link to set a password); someone who already has
    # an account elsewhere signs in as before and finds this program in their switcher.
    for membership, row in zip(memberships, new, strict=True):
        if row.user is None:
            invitation_create(program=program, email=row.email, full_name=membership.user.full_name,
                              role=row.role, supervisor=membership.supervisor, by=by)
    return rows

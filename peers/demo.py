"""Demo staff records: credentials in every state, CE logs and two trainees, dated relative to today.

Idempotent: rows are found by natural keys (person + credential type, person + CE title, person +
hours note) and their dates refreshed, so the board looks the same whenever ``seed_demo`` runs.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from peers.defaults import load_default_credential_types
from peers.models import (
    ContinuingEducation,
    Credential,
    CredentialType,
    HoursKind,
    StaffProfile,
    TraineeHours,
    add_months,
)
from recovery.demo import demo_data
from recovery.models import Membership, User

# One entry per staff member (peers/data/demo_staff.json), by email: hire date (years ago), lived-experience
# basis, credentials (type name, days from today to expiry, or null while in training), CE log (title, days
# ago, hours, ethics hours, domain) and, for trainees, total hours by kind, spread over weekly entries. An entry
# with a ``full_name`` is a fictional peer specialist made here, supervised by supervisor@demo.example.
STAFF = {person["email"]: person for person in demo_data(__file__, "staff")}
WEEKLY_MAX = {HoursKind.TRAINING: 8, HoursKind.EXPERIENCE: 20, HoursKind.SUPERVISION: 2}


def seed(ctx) -> None:
    today = ctx.program.today()
    load_default_credential_types(CredentialType)  # present after migrate; not after a test's flush
    memberships = _staff(ctx)
    for email, membership in memberships.items():
        person = STAFF[email]
        StaffProfile.objects.update_or_create(membership=membership, defaults={
            "hire_date": today - timedelta(days=365 * person["hired_years_ago"] + 30),
            "lived_experience": person["lived_experience"],
            "supervisor_training_on": today - timedelta(days=900) if membership.is_supervisor else None,
        })
        for credential in person["credentials"]:
            _credential(membership, _type(ctx.program, credential["type"]), today, credential["expires_in_days"])
        for ce in person["continuing_education"]:
            ContinuingEducation.objects.update_or_create(membership=membership, title=ce["title"], defaults={
                "completed_on": today - timedelta(days=ce["days_ago"]), "provider": "Blue Ridge Training Collaborative",
                "hours": Decimal(ce["hours"]), "ethics_hours": Decimal(ce["ethics_hours"]), "domain": ce["domain"],
            })
        _trainee_hours(membership, person["trainee_hours"], today)


def _staff(ctx) -> dict[str, Membership]:
    """The four demo accounts plus the fictional extra staff, by email."""
    for email, person in STAFF.items():
        if "full_name" not in person:
            continue  # one of the demo accounts (recovery.demo)
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=settings.DEMO_PASSWORD, full_name=person["full_name"])
        ctx.users.setdefault(email, user)
        Membership.objects.update_or_create(user=user, program=ctx.program, defaults={
            "role": Membership.Role.PEER, "supervisor": ctx.supervisor, "is_active": True,
        })
    return {
        m.user.email: m
        for m in Membership.objects.filter(program=ctx.program, user__email__in=STAFF).select_related("user")
    }


def _type(program, name: str) -> CredentialType:
    # The program may have adapted a default: its version answers to the default's name too.
    return CredentialType.objects.for_program(program).filter(Q(name=name) | Q(replaces__name=name)).first()


def _credential(membership: Membership, kind: CredentialType, today: date, days_left: int | None) -> None:
    if days_left is None:
        dates = {"issued_on": None, "expires_on": None, "number": ""}
    else:
        expires = today + timedelta(days=days_left)
        number = f"{kind.abbreviation or 'CR'}-{membership.user_id:04d}{kind.pk:02d}"
        dates = {"issued_on": add_months(expires, -kind.cycle_months), "expires_on": expires, "number": number}
    Credential.objects.update_or_create(membership=membership, type=kind, ended_on=None, defaults=dates)


def _trainee_hours(membership: Membership, totals: dict[str, int], today: date) -> None:
    rng = random.Random(f"lantern-demo-{membership.user.email}")  # same entries on every run
    for kind, total in totals.items():
        left, week = Decimal(total), 0
        while left > 0:
            week += 1
            hours = min(left, Decimal(rng.randint(WEEKLY_MAX[kind] // 2, WEEKLY_MAX[kind])))
            TraineeHours.objects.update_or_create(
                membership=membership, kind=kind, note=f"Week {week}",
                defaults={"worked_on": today - timedelta(days=7 * week), "hours": hours},
            )
            left -= hours

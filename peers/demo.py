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
    CEDomain,
    ContinuingEducation,
    Credential,
    CredentialType,
    HoursKind,
    LivedExperience,
    StaffProfile,
    TraineeHours,
    add_months,
)
from recovery.models import Membership, User

CPRS = "Certified Peer Recovery Specialist"
RPRS = "Registered Peer Recovery Specialist"
PR = "IC&RC Peer Recovery"

# email, full name: fictional peer specialists supervised by supervisor@demo.example
EXTRA_STAFF = [
    ("jordan.reyes@demo.example", "Jordan Reyes"),
    ("alex.kim@demo.example", "Alex Kim"),
    ("chris.okafor@demo.example", "Chris Okafor"),
]

# email → (hire years ago, lived-experience basis)
PROFILES = {
    "supervisor@demo.example": (7, LivedExperience.PERSONAL),
    "peer@demo.example": (3, LivedExperience.PERSONAL),
    "peer2@demo.example": (2, LivedExperience.FAMILY),
    "admin@demo.example": (5, LivedExperience.PERSONAL),
    "jordan.reyes@demo.example": (0, LivedExperience.PERSONAL),
    "alex.kim@demo.example": (1, LivedExperience.FAMILY),
    "chris.okafor@demo.example": (4, LivedExperience.PERSONAL),
}

# email → [(type name, days from today to expiry, or None while in training)]
CREDENTIALS = {
    "supervisor@demo.example": [(CPRS, 420), (RPRS, 200)],  # current
    "peer@demo.example": [(CPRS, 45), (RPRS, 75)],  # both expiring within 90 days
    "peer2@demo.example": [(CPRS, 150), (RPRS, 250)],  # CPRS short of CE (renewal within 180 days), RPRS current
    "admin@demo.example": [(RPRS, 150)],  # current
    "jordan.reyes@demo.example": [(CPRS, None)],  # trainee, early on
    "alex.kim@demo.example": [(PR, None)],  # trainee, nearly there
    "chris.okafor@demo.example": [(CPRS, 500), (RPRS, -12)],  # RPRS expired 12 days ago
}

# email → [(title, days ago, hours, ethics hours, domain)]
CE_LOG = {
    "supervisor@demo.example": [
        ("Clinical supervision of peer staff", 140, 6, 0, CEDomain.MENTORING),
        ("Ethics and boundaries in peer work", 120, 4, 4, CEDomain.ETHICS),
        ("Motivational interviewing refresher", 90, 6, 0, CEDomain.WELLNESS),
        ("Trauma-informed peer support", 40, 6, 0, CEDomain.WELLNESS),
    ],
    "peer@demo.example": [
        ("Harm reduction basics", 300, 6, 0, CEDomain.WELLNESS),
        ("Professional ethics for peer specialists", 200, 3, 3, CEDomain.ETHICS),
        ("Advocacy in the recovery community", 100, 4, 0, CEDomain.ADVOCACY),
    ],
    "peer2@demo.example": [
        ("Family recovery support", 380, 5, 0, CEDomain.WELLNESS),
        ("Naloxone training", 100, 3, 0, CEDomain.WELLNESS),
        ("Confidentiality and 42 CFR Part 2", 60, 2, 2, CEDomain.ETHICS),
        ("Recovery capital in practice", 30, 4, 0, CEDomain.MENTORING),
    ],
    "admin@demo.example": [
        ("Ethics in program leadership", 80, 2, 2, CEDomain.ETHICS),
        ("Peer workforce development", 50, 6, 0, CEDomain.MENTORING),
    ],
    "chris.okafor@demo.example": [
        ("Recovery-oriented systems of care", 200, 8, 0, CEDomain.ADVOCACY),
        ("Ethical decision making", 180, 3, 3, CEDomain.ETHICS),
        ("Group facilitation skills", 150, 6, 0, CEDomain.MENTORING),
        ("Crisis de-escalation", 70, 4, 0, CEDomain.WELLNESS),
    ],
}

# email → {kind: total hours}, spread over weekly entries
TRAINEE_TOTALS = {
    "jordan.reyes@demo.example": {HoursKind.TRAINING: 24, HoursKind.EXPERIENCE: 80},
    "alex.kim@demo.example": {HoursKind.TRAINING: 46, HoursKind.EXPERIENCE: 430, HoursKind.SUPERVISION: 21},
}
WEEKLY_MAX = {HoursKind.TRAINING: 8, HoursKind.EXPERIENCE: 20, HoursKind.SUPERVISION: 2}


def seed(ctx) -> None:
    today = ctx.program.today()
    load_default_credential_types(CredentialType)  # present after migrate; not after a test's flush
    memberships = _staff(ctx)
    for email, membership in memberships.items():
        years, basis = PROFILES[email]
        StaffProfile.objects.update_or_create(membership=membership, defaults={
            "hire_date": today - timedelta(days=365 * years + 30),
            "lived_experience": basis,
            "supervisor_training_on": today - timedelta(days=900) if membership.is_supervisor else None,
        })
        for type_name, days_left in CREDENTIALS[email]:
            _credential(membership, _type(ctx.program, type_name), today, days_left)
        for title, days_ago, hours, ethics, domain in CE_LOG.get(email, []):
            ContinuingEducation.objects.update_or_create(membership=membership, title=title, defaults={
                "completed_on": today - timedelta(days=days_ago), "provider": "Blue Ridge Training Collaborative",
                "hours": Decimal(hours), "ethics_hours": Decimal(ethics), "domain": domain,
            })
        _trainee_hours(membership, TRAINEE_TOTALS.get(email, {}), today)


def _staff(ctx) -> dict[str, Membership]:
    """The four demo accounts plus the fictional extra staff, by email."""
    for email, full_name in EXTRA_STAFF:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=settings.DEMO_PASSWORD, full_name=full_name)
        ctx.users.setdefault(email, user)
        Membership.objects.update_or_create(user=user, program=ctx.program, defaults={
            "role": Membership.Role.PEER, "supervisor": ctx.supervisor, "is_active": True,
        })
    return {
        m.user.email: m
        for m in Membership.objects.filter(program=ctx.program, user__email__in=PROFILES).select_related("user")
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

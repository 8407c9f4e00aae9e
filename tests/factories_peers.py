"""Factories of the peers app (staff records and credentials)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory

from peers.defaults import load_default_credential_types
from peers.models import (
    CEDomain,
    ContinuingEducation,
    Credential,
    CredentialType,
    HoursKind,
    StaffProfile,
    TraineeHours,
    add_months,
)
from recovery.models import Membership

CPRS = "Certified Peer Recovery Specialist"
RPRS = "Registered Peer Recovery Specialist"
PR = "IC&RC Peer Recovery"


def default_type(name: str) -> CredentialType:
    """One of the shared defaults the data migration loads (DOMAIN.md).

    Browser tests flush the database, data migrations' rows included: load the defaults again if needed.
    """
    load_default_credential_types(CredentialType)
    return CredentialType.objects.get(program=None, name=name)


def membership_of(user, program=None) -> Membership:
    memberships = Membership.objects.filter(user=user)
    return memberships.get(program=program) if program else memberships.get()


class CredentialTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialType

    name = factory.Sequence(lambda n: f"Test credential {n}")
    abbreviation = "TC"
    issuing_body = "Test Certification Board"
    cycle_months = 24
    ce_hours = Decimal(20)
    ethics_hours = Decimal(3)
    makes_billable = False


class CredentialFactory(factory.django.DjangoModelFactory):
    """A held credential expiring ``expires_in`` days after ``today`` (both overridable)."""

    class Meta:
        model = Credential

    class Params:
        today = factory.LazyFunction(date.today)
        expires_in = 365
        in_training = factory.Trait(issued_on=None, expires_on=None, number="")

    type = factory.LazyFunction(lambda: default_type(CPRS))
    number = factory.Sequence(lambda n: f"NUM-{n:05d}")
    expires_on = factory.LazyAttribute(lambda o: o.today + timedelta(days=o.expires_in))
    issued_on = factory.LazyAttribute(lambda o: add_months(o.expires_on, -o.type.cycle_months))


class ContinuingEducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContinuingEducation

    completed_on = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    title = factory.Sequence(lambda n: f"Course {n}")
    provider = "Test Training Provider"
    hours = Decimal(4)
    ethics_hours = Decimal(0)
    domain = CEDomain.OTHER


class TraineeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeHours

    kind = HoursKind.EXPERIENCE
    worked_on = factory.LazyFunction(lambda: date.today() - timedelta(days=3))
    hours = Decimal(6)


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

"""Factories for the clients app: participants in a caseload, with episodes, plans, goals and consents."""

from __future__ import annotations

import datetime
import zoneinfo

import factory
from django.utils import timezone

from clients.dimensions import dimensions_load_defaults
from clients.models import ActionStep, CaseAssignment, Client, Consent, Dimension, Episode, Goal, RecoveryPlan
from clients.names import name_key


def today() -> datetime.date:
    """Today where the test programs work (their default time zone)."""
    return timezone.localdate(timezone.now(), zoneinfo.ZoneInfo("America/New_York"))


def days(n: int) -> datetime.date:
    """A date ``n`` days from today (negative: in the past)."""
    return today() + datetime.timedelta(days=n)


def dimensions() -> dict[str, Dimension]:
    """The default dimensions by code (a transactional test may have flushed the migration's rows)."""
    dimensions_load_defaults(Dimension)
    return {d.code: d for d in Dimension.objects.all()}


class ClientFactory(factory.django.DjangoModelFactory):
    """A participant carried by ``primary_peer`` (pass ``primary_peer=None`` for "needs assignment").

    The assignment history row is created too, so the participant looks as if ``client_assign`` ran.
    """

    class Meta:
        model = Client
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Participant {chr(65 + n % 26)}{n} Example")
    preferred_name = ""
    birth_date = datetime.date(1985, 6, 15)
    phone = "540-555-0100"
    created_by = factory.LazyAttribute(lambda o: o.primary_peer or o.program.memberships.first().user)
    name_key = factory.LazyAttribute(lambda o: name_key(o.full_name))
    search_text = factory.LazyAttribute(lambda o: name_key(o.full_name, o.preferred_name))

    @factory.post_generation
    def episode(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            Episode.objects.create(client=obj, started_on=days(-60),
                                   referral_source=Episode.ReferralSource.SELF, created_by=obj.created_by)

    @factory.post_generation
    def assignment(obj, create, extracted, **kwargs):
        if create and obj.primary_peer_id:
            CaseAssignment.objects.create(client=obj, peer=obj.primary_peer, assigned_by=obj.created_by,
                                          reason="Enrolled at intake.")


def bulk_clients(program, peer, count: int, *, prefix: str = "Bulk", created_by=None) -> list[Client]:
    """Many participants at once (no episodes or history): for query-count tests."""
    rows = []
    for n in range(count):
        full_name = f"{prefix} Person{n:04d}"
        rows.append(Client(program=program, primary_peer=peer, full_name=full_name, created_by=created_by or peer,
                           birth_date=datetime.date(1980, 1, 1), name_key=name_key(full_name),
                           search_text=name_key(full_name)))
    return Client.objects.bulk_create(rows)


class RecoveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryPlan

    client = factory.SubFactory(ClientFactory)
    started_on = factory.LazyFunction(lambda: days(-30))
    review_on = factory.LazyFunction(lambda: days(60))
    created_by = factory.LazyAttribute(lambda o: o.client.created_by)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        skip_postgeneration_save = True

    plan = factory.SubFactory(RecoveryPlanFactory)
    text = factory.Sequence(lambda n: f"I want to reach goal number {n}.")
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def dimension_codes(obj, create, extracted, **kwargs):
        if create:
            by_code = dimensions()
            obj.dimensions.set([by_code[c] for c in (extracted or ["health"])])


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    goal = factory.SubFactory(GoalFactory)
    description = factory.Sequence(lambda n: f"Step {n}")
    due_on = factory.LazyFunction(lambda: days(14))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    discloser = "Riverside Peer Recovery"
    information = "Attendance and progress in peer recovery services."
    recipients = "Dr. Example, Valley Primary Care"
    purpose = "Coordinate care."
    right_to_revoke_explained = True
    expiry_event = Consent.ExpiryEvent.DATE
    signed_on = factory.LazyFunction(lambda: days(-10))
    expires_on = factory.LazyFunction(lambda: days(355))
    created_by = factory.LazyAttribute(lambda o: o.client.created_by)

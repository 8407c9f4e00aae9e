"""Factories for session notes, addenda and follow-ups (tests/factories_clients.py has the participants)."""

from __future__ import annotations

import datetime
import zoneinfo

import factory
from django.utils import timezone

from clients.models import FollowUp, NoteAddendum, ServiceCode, SessionNote, SupportService
from clients.models.notes import session_ended_at
from clients.note_defaults import service_codes_load_defaults, support_services_load_defaults
from tests.factories_clients import ClientFactory, days


def service_code(code: str = "T1012") -> ServiceCode:
    """One of the default codes (a transactional test may have flushed the migration's rows)."""
    service_codes_load_defaults(ServiceCode)
    return ServiceCode.objects.get(code=code)


def support_services() -> dict[str, SupportService]:
    support_services_load_defaults(SupportService)
    return {s.code: s for s in SupportService.objects.all()}


def _ended_at(o) -> datetime.datetime:
    return session_ended_at(zoneinfo.ZoneInfo(o.client.program.time_zone), o.session_date, o.start_time, o.end_time,
                            o.duration_minutes)


class SessionNoteFactory(factory.django.DjangoModelFactory):
    """A draft note of an hour-long individual session yesterday, by the peer who carries the participant.

    ``signed=True`` stamps it as signed with its units (as ``note_sign`` would, without the caps).
    """

    class Meta:
        model = SessionNote

    class Params:
        signed = factory.Trait(
            status=SessionNote.Status.SIGNED,
            signed_at=factory.LazyAttribute(lambda o: o.ended_at + datetime.timedelta(hours=1)),
            signed_by=factory.SelfAttribute("author"),
            units_computed=factory.LazyAttribute(lambda o: o.duration_minutes // 15),
            units_billable=factory.LazyAttribute(lambda o: o.duration_minutes // 15),
        )

    client = factory.SubFactory(ClientFactory)
    author = factory.LazyAttribute(lambda o: o.client.primary_peer)
    session_date = factory.LazyFunction(lambda: days(-1))
    start_time = datetime.time(10, 0)
    end_time = datetime.time(11, 0)
    duration_minutes = 60
    ended_at = factory.LazyAttribute(_ended_at)
    contact_type = SessionNote.ContactType.INDIVIDUAL
    setting = SessionNote.Setting.OFFICE
    service_code = factory.LazyFunction(service_code)
    summary = factory.Sequence(lambda n: f"Talked through the week, session {n}.")
    response = "Engaged and hopeful."


class NoteAddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteAddendum

    note = factory.SubFactory(SessionNoteFactory, signed=True)
    author = factory.LazyAttribute(lambda o: o.note.author)
    text = "Correction: the meeting was on Tuesday."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    client = factory.SubFactory(ClientFactory)
    due_on = factory.LazyFunction(lambda: days(0))
    assignee = factory.LazyAttribute(lambda o: o.client.primary_peer)
    purpose = factory.Sequence(lambda n: f"Call about the housing application ({n}).")
    created_by = factory.LazyAttribute(lambda o: o.assignee)


def bulk_notes(client, count: int, *, author=None, signed: bool = True, start: datetime.date | None = None,
               crisis_every: int = 0) -> list[SessionNote]:
    """Many notes at once, one a day going back from ``start`` (for query-count tests)."""
    author = author or client.primary_peer
    zone = zoneinfo.ZoneInfo(client.program.time_zone)
    code = service_code()
    start = start or days(-1)
    rows = []
    for n in range(count):
        day = start - datetime.timedelta(days=n % 360)
        ended = datetime.datetime.combine(day, datetime.time(11), tzinfo=zone)
        crisis = bool(crisis_every) and n % crisis_every == 0
        rows.append(SessionNote(
            client=client, author=author, session_date=day, start_time=datetime.time(10), end_time=datetime.time(11),
            duration_minutes=60, ended_at=ended, service_code=code, summary=f"Bulk session {n}.",
            crisis_flag=crisis, crisis_description="Bulk crisis" if crisis else "",
            status=SessionNote.Status.SIGNED if signed else SessionNote.Status.DRAFT,
            signed_at=ended + datetime.timedelta(hours=1) if signed else None, signed_by=author if signed else None,
            units_computed=4 if signed else None, units_billable=0 if signed else None,
        ))
    return SessionNote.objects.bulk_create(rows, batch_size=1000)


def bulk_followups(client, count: int, *, due_from: datetime.date | None = None) -> list[FollowUp]:
    due_from = due_from or days(-30)
    rows = [FollowUp(client=client, due_on=due_from + datetime.timedelta(days=n % 60), assignee=client.primary_peer,
                     purpose=f"Bulk follow-up {n}", created_by=client.primary_peer, created_at=timezone.now())
            for n in range(count)]
    return FollowUp.objects.bulk_create(rows, batch_size=1000)

"""Impossible dates (security issue, point 12): each case the outside tester found, and the shared field.

On the original main: year 9999 answered 500 on the audit report's filters and on adding a credential
(the issue date plus the renewal cycle overflowed); year 0001 was kept as an intake and a session date.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Episode, SessionNote
from peers.models import Credential
from recovery.fields import (
    BIRTH_DATE_TOO_EARLY,
    DATE_IN_FUTURE,
    BirthDateField,
    CredentialDateField,
    DueDateField,
    PastDateField,
    RecordDateField,
)
from tests.clients.test_intake import intake_data
from tests.factories import CPRS, ClientFactory, SessionNoteFactory, default_type

IMPOSSIBLE = ["0001-01-01", "9999-12-31", "1899-12-31"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30", "10000-01-01"])
def test_the_audit_report_answers_an_impossible_filter_day_with_a_field_error(login, admin, day):
    response = login(admin).get(reverse("audit:report"), {"date_from": "2020-01-01", "date_to": day})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01", "1949-12-31"])
def test_a_credential_with_an_impossible_issue_date_is_refused_at_the_field(login, admin, peer, day):
    response = login(admin).post(reverse("peers:credential_add", args=[peer.uuid]),
                                 {"type": default_type(CPRS).pk, "number": "CPRS-9", "issued_on": day})
    assert response.status_code == 200
    assert response.context["form"].errors["issued_on"]
    assert f'value="{day}"' in response.content.decode()  # the typed date is kept
    assert not Credential.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31"])
def test_an_intake_date_before_the_program_era_is_refused(login, peer, day):
    response = login(peer).post(reverse("clients:intake"), intake_data(started_on=day))
    assert response.status_code == 200
    assert response.context["form"].errors["started_on"]
    assert not Client.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "9999-12-31"])
def test_a_session_note_date_outside_the_plausible_range_is_refused(login, peer, program, day):
    client = ClientFactory(program=program, primary_peer=peer)
    response = login(peer).post(reverse("clients:note_new", args=[client.uuid]),
                                {"session_date": day, "duration_minutes": "30", "contact_type": "in_person",
                                 "summary": "Walked together."})
    assert response.status_code == 200
    assert response.context["form"].errors["session_date"]
    assert not SessionNote.objects.exists()


def test_each_kind_of_date_has_its_range():
    today = timezone.localdate()  # a field outside a form takes the server's today
    tomorrow = (today + datetime.timedelta(1)).isoformat()
    for field, inside, outside in [
        (BirthDateField(), ["1900-01-01", today.isoformat()], ["1899-12-31", tomorrow]),
        (PastDateField(), ["1990-01-01", today.isoformat()], ["1989-12-31", tomorrow]),
        (CredentialDateField(), ["1950-01-01", "2100-12-31"], ["1949-12-31", "2101-01-01"]),
        (DueDateField(), ["2000-01-01", (today + datetime.timedelta(days=365 * 5)).isoformat()],
         ["1999-12-31", (today + datetime.timedelta(days=365 * 6)).isoformat()]),
        (RecordDateField(required=False), ["1990-01-01", "2100-12-31", ""], ["9999-12-31", "0001-01-01"]),
    ]:
        for value in inside:
            field.clean(value)
        for value in outside:
            with pytest.raises(Exception) as refused:
                field.clean(value)
            assert refused.typename == "ValidationError", (field, value)


def test_the_messages_say_what_is_wrong():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as early:
        BirthDateField().clean("1899-12-31")
    assert early.value.messages == [BIRTH_DATE_TOO_EARLY]
    with pytest.raises(ValidationError) as future:
        PastDateField().clean((timezone.localdate() + datetime.timedelta(1)).isoformat())
    assert future.value.messages == [DATE_IN_FUTURE]


def test_a_date_input_offers_only_the_plausible_days(login, peer):
    html = login(peer).get(reverse("clients:intake")).content.decode()
    assert 'type="date" name="birth_date"' in html and 'min="1900-01-01"' in html
    assert 'name="started_on"' in html and 'min="1990-01-01"' in html


@pytest.mark.django_db
def test_the_database_refuses_impossible_intake_session_and_credential_dates(program, peer):
    client = ClientFactory(program=program, primary_peer=peer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(client=client).update(started_on=datetime.date(1, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionNoteFactory(client=client, session_date=datetime.date(1, 1, 1))
    from tests.factories import CredentialFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        CredentialFactory(membership=peer.memberships.get(), issued_on=datetime.date(9999, 1, 1),
                          expires_on=datetime.date(9999, 12, 31))

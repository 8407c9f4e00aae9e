"""The note form's live units (issue 20): while writing, this note's units, the caps and the authorization
left, from the same function that fixes the units at signing."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from clients.models import SessionNote
from clients.services import notes as note_services
from recovery.models import AccessLog
from tests.billing.conftest import signed_note
from tests.factories import AuthorizationFactory, CoverageFactory, PayerFactory, days, service_code

UNITS = re.compile(r"This note: (\d+) billable unit")


def estimate(http, client, **fields):
    params = {"participant": str(client.uuid), "session_date": days(0).isoformat(), "start_time": "",
              "end_time": "", "duration_minutes": "60", "contact_type": "individual",
              **fields}
    if "service_code" not in params:
        params["service_code"] = str(service_code().pk)
    response = http.get(reverse("clients:note_units"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def authorized(mine, registered):
    payer = PayerFactory(program=mine.program)
    CoverageFactory(client=mine, payer=payer)
    return AuthorizationFactory(client=mine, payer=payer, units_authorized=96, starts_on=days(-60),
                                ends_on=days(30), recommended_on=days(-60))


def test_the_peer_sees_this_notes_units_and_what_the_authorization_has_left(login, peer, mine, authorized):
    signed_note(mine, days(-5), 240)  # 16 units used: 80 left
    signed_note(mine, days(-4), 240)
    signed_note(mine, days(-3), 240)
    signed_note(mine, days(-2), 240)
    signed_note(mine, days(-1), 240)  # 80 used, 16 left
    html = estimate(login(peer), mine, duration_minutes="150")  # 10 units
    assert "This note: 10 billable units" in html
    assert (f"Authorization {authorized.number} (nearly used up): 6 of 96 units left, ends "
            f"{authorized.ends_on:%b %-d}.") in html
    assert "Daily cap: 6 of 16 units left" in html


def test_the_estimate_equals_the_units_stored_at_signing(login, peer, mine, authorized):
    """Under the daily cap: 12 units already today, a 90-minute note is worth 6 and bills 4."""
    day = days(-1)
    signed_note(mine, day, 180)
    http = login(peer)
    html = estimate(http, mine, session_date=day.isoformat(), duration_minutes="90")
    shown = int(UNITS.search(html).group(1))
    assert shown == 4
    note = note_services.note_create(
        note=SessionNote(session_date=day, duration_minutes=90, contact_type="individual",
                         service_code=service_code(), summary="Went over the week."),
        client=mine, author=peer)
    html = estimate(http, mine, session_date=day.isoformat(), duration_minutes="90", note=str(note.uuid))
    assert int(UNITS.search(html).group(1)) == shown  # a draft being edited does not count against itself
    with time_machine.travel(note.ended_at + datetime.timedelta(hours=1), tick=False):
        note = note_services.note_sign(note=note, by=peer)
    assert note.units_billable == shown


@pytest.mark.parametrize(("minutes", "expected"), [("7", 0), ("8", 1), ("23", 2), ("240", 16)])
def test_the_estimate_follows_the_programs_rounding(login, peer, mine, registered, minutes, expected):
    assert int(UNITS.search(estimate(login(peer), mine, duration_minutes=minutes)).group(1)) == expected


def test_without_coverage_or_authorization_the_note_is_flagged_not_blocked(login, peer, mine, registered):
    http = login(peer)
    assert "No coverage on file" in estimate(http, mine)
    CoverageFactory(client=mine, payer=PayerFactory(program=mine.program))
    assert "No service authorization" in estimate(http, mine)


def test_an_author_without_a_billable_credential_is_told_before_signing(login, peer, mine):
    assert "Check before billing:" in estimate(login(peer), mine)


def test_until_the_length_is_given_the_fragment_says_what_it_needs(login, peer, mine):
    html = estimate(login(peer), mine, duration_minutes="")
    assert "Units appear here once" in html


def test_the_estimate_reads_only_the_writers_caseload_and_is_logged_once(login, peer, mine, theirs, foreign):
    http = login(peer)
    for other in (theirs, foreign):
        assert http.get(reverse("clients:note_units"), {"participant": str(other.uuid)}).status_code == 404
    assert http.get(reverse("clients:note_units"), {"participant": "nope"}).status_code == 404
    before = AccessLog.objects.count()
    estimate(http, mine)
    assert AccessLog.objects.count() == before + 1
    assert AccessLog.objects.latest("pk").client_uuid == mine.uuid


def test_an_admin_and_a_billing_clerk_do_not_write_notes(login, admin, billing_clerk):
    for user in (admin, billing_clerk):
        assert login(user).get(reverse("clients:note_units")).status_code == 403


def test_the_note_form_shows_the_live_units_block(login, peer, mine):
    html = login(peer).get(reverse("clients:note_new", args=[mine.uuid])).content.decode()
    assert 'id="live-units"' in html and reverse("clients:note_units") in html


def test_the_estimate_costs_a_fixed_number_of_queries(frozen_time, login, peer, mine, authorized,
                                                      django_assert_max_num_queries):
    http = login(peer)
    code = str(service_code().pk)
    signed_note(mine, days(-1), 30)
    estimate(http, mine, service_code=code)  # the first request of a session writes it
    with django_assert_max_num_queries(14):  # session, user, memberships, reach, participant, code, units,
        estimate(http, mine, service_code=code)  # credential, caps, coverage, authorizations, usage, bell, log
    for offset in range(2, 40):
        signed_note(mine, days(-offset), 30)
    with django_assert_max_num_queries(14):
        estimate(http, mine, service_code=code)

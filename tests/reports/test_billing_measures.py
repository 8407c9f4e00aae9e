"""The billing measures and the monthly note summary the report reads, on the hand-built first quarter of
2025 (tests/reports/conftest.py); every expected number is worked out by hand in the comments."""

from __future__ import annotations

import datetime

from billing.models import Payer, ServiceAuthorization
from clients.models import ServiceCode, SessionNote
from clients.services.notes import note_sign
from reports.models import NoteMonth
from reports.periods import Period
from reports.summary import note_months_rebuild
from tests.factories import SessionNoteFactory, service_code
from tests.reports.conftest import at
from tests.reports.test_measures import groups, value

D = datetime.date


def unbilled(client, day, *, code, minutes=60, computed=4, kind=SessionNote.ContactType.INDIVIDUAL):
    """A signed note that bills nothing (``code`` None: no service code)."""
    ended = at(day, 11)
    return SessionNoteFactory(client=client, session_date=day, start_time=datetime.time(10), end_time=ended.time(),
                              duration_minutes=minutes, ended_at=ended, contact_type=kind, service_code=code,
                              signed=True, signed_at=ended + datetime.timedelta(hours=1), units_computed=computed,
                              units_billable=0)


def test_units_held_back_by_a_cap_are_counted_by_service_code_and_outreach_is_not(world, supervisor, base_for):
    base = base_for(supervisor)
    # B's Feb 20 session: 16 units delivered, 12 billable (the daily cap): 4 over a cap. C's outreach
    # attempt (1 unit, 0 billable) is not a cap's doing.
    assert value("units_over_cap", base) == 4
    assert groups("units_over_cap", base) == {"T1012": 4}


def test_notes_that_bill_nothing_are_counted_by_the_first_reason_that_applies(world, program, supervisor, base_for):
    a = world["a"]
    free = ServiceCode.objects.create(program=program, code="NB01", description="Community meeting", billable=False)
    unbilled(a, D(2025, 1, 20), code=None)                                       # no service code
    unbilled(a, D(2025, 1, 21), code=free)                                       # a code that does not bill
    unbilled(a, D(2025, 2, 3), code=service_code(program=program), minutes=5, computed=0)  # too short for a unit
    unbilled(a, D(2025, 2, 4), code=service_code(program=program))               # the yearly cap reached: 4 held back
    unbilled(a, D(2025, 4, 2), code=None)                                        # after the quarter
    base = base_for(supervisor)
    # With the world's outreach attempt (C, Mar 5): 5 notes.
    assert value("notes_not_billable", base) == 5
    assert groups("notes_not_billable", base) == {
        "No service code": 1, "Service code not billable": 1, "Outreach attempt": 1, "Too short for a unit": 1,
        "Over a daily or yearly cap": 1}
    assert value("units_over_cap", base) == 4 + 4  # B's, and the capped note's 4


def test_units_under_an_authorization_count_once_within_its_dates(world, program, supervisor, admin, base_for):
    a, b = world["a"], world["b"]
    payer = Payer.objects.create(program=program, name="State Medicaid", kind=Payer.Kind.MEDICAID)
    code = service_code(program=program)

    def authorize(client, starts, ends, number):
        ServiceAuthorization.objects.create(client=client, payer=payer, service_code=code, number=number,
                                            units_authorized=100, starts_on=starts, ends_on=ends,
                                            recommended_on=starts, created_by=admin)

    authorize(b, D(2025, 2, 1), D(2025, 2, 28), "B-1")   # B's Feb 20 note: 12 billable units
    authorize(b, D(2025, 2, 15), D(2025, 3, 15), "B-2")  # overlaps B-1: the same note counts once
    authorize(a, D(2025, 3, 1), D(2025, 4, 30), "A-1")   # A's Mar 31 note (2 units); Apr 1 is outside Q1
    base = base_for(supervisor)
    # A's Jan 15 and Feb 20 notes are before A-1; D has no authorization.
    assert value("authorized_units_used", base) == 12 + 2
    assert groups("authorized_units_used", base) == {"T1012": 14}


def test_a_period_cut_inside_months_counts_the_days_outside_whole_months_from_the_notes(world, supervisor,
                                                                                          base_for):
    # Jan 10 - Mar 20: February is read from the summary, Jan 10-31 and Mar 1-20 from the notes. In it: A Jan
    # 15 (60 min, 4 units) and Feb 20 (phone, 30, 2), B Feb 20 (240, 16 delivered, 12 billable), C Mar 5
    # (outreach, 15, 1, 0). Not D's Jan 5 nor A's Mar 31.
    base = base_for(supervisor, Period(D(2025, 1, 10), D(2025, 3, 20), "custom"))
    assert value("contacts", base) == 4
    assert value("hours", base) == 60 + 30 + 240 + 15
    assert value("units_delivered", base) == 4 + 2 + 16 + 1
    assert value("units_billable", base) == 4 + 2 + 12
    assert value("served", base) == 2  # A and B; C's only note is an outreach attempt
    # On Mar 20: A, B and C are active (D was discharged that day). A and B were reached Feb 20, within
    # 30 days; C's last contact is Dec 20, 2024 (its Mar 5 note is an outreach attempt).
    assert value("active", base) == 3
    assert value("engaged_30", base) == 2
    assert value("no_contact_60", base) == 1


def test_signing_a_note_adds_it_to_its_months_summary_row_as_a_rebuild_would(world, program, peer):
    a = world["a"]
    for day in (D(2025, 5, 5), D(2025, 5, 19)):
        ended = at(day, 11)
        draft = SessionNoteFactory(client=a, author=peer, session_date=day, start_time=datetime.time(10),
                                   end_time=ended.time(), ended_at=ended)
        note_sign(note=draft, by=peer)
    row = NoteMonth.objects.get(client=a, month=D(2025, 5, 1))
    assert (row.notes, row.minutes, row.units_computed, row.first_day, row.last_day) == (
        2, 120, 8, D(2025, 5, 5), D(2025, 5, 19))
    signed_incrementally = sorted(NoteMonth.objects.values_list(
        "client_id", "month", "contact_type", "late_entry", "bills", "notes", "minutes", "units_billable", "last_day"))
    note_months_rebuild([program.pk])
    assert sorted(NoteMonth.objects.values_list(
        "client_id", "month", "contact_type", "late_entry", "bills", "notes", "minutes", "units_billable",
        "last_day")) == signed_incrementally

"""A whole program's report from the program-level summaries: the two medians from exact histograms
(reports.models.ContactGap: days between contact days; SignatureDelay: session end to signature) and the
note counts from ProgramMonth, on the hand-built first quarter of 2025 (tests/reports/conftest.py): the
expected numbers are worked out by hand in the comments, and signing notes (late entries, same-day
contacts, outreach) writes every summary exactly as a rebuild does."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import SessionNote
from clients.services.notes import note_sign
from reports.measures import contact_gap, histogram_median, hours_to_sign
from reports.models import ContactGap, ContactMonth, ProgramMonth, SignatureDelay
from reports.periods import Period
from reports.summary import (
    contact_gaps_rebuild,
    contact_months_rebuild,
    program_months_rebuild,
    signature_delays_rebuild,
)
from tests.factories import SessionNoteFactory
from tests.reports.conftest import at, note
from tests.reports.test_measures import value

D = datetime.date


def gap_rows(program):
    return sorted(ContactGap.objects.filter(program=program).values_list("month", "since", "days", "contacts"))


def program_rows(program):
    return sorted(ProgramMonth.objects.filter(program=program).values_list(
        "month", "contact_type", "setting", "service_code_id", "late_entry", "crisis_flag", "bills", "no_units",
        "notes", "minutes", "units_computed", "units_billable"), key=str)


def delay_rows(program):
    return sorted(SignatureDelay.objects.filter(program=program).values_list("month", "microseconds", "notes"))


def median(*counts):
    rows = " UNION ALL ".join("SELECT %s::bigint AS value, %s::int AS n" for _ in counts)
    return histogram_median(rows or "SELECT 1::bigint AS value, 1 AS n WHERE false",
                            [x for pair in counts for x in pair])


def test_the_median_of_counted_values_is_the_middle_one_or_the_mean_of_the_two_middle_ones(db):
    assert median() is None
    assert median((3, 1)) == 3
    assert median((1, 2), (5, 1), (9, 1)) == 3  # 1 1 5 9
    assert median((1, 1), (4, 3), (30, 1)) == 4  # 1 4 4 4 30
    assert median((2, 1), (7, 1)) == Decimal("4.5")
    assert median((7, 1), (2, 1), (2, 1)) == 2  # rows in any order: 2 2 7


def test_an_admins_medians_come_from_the_programs_histograms_exactly(world, program, admin, supervisor, base_for):
    e = world["e"]  # the other team's participant: Jan 20 in the fixture
    note(e, D(2025, 2, 1), sign_hours=3)  # 12 days after Jan 20
    note(e, D(2025, 2, 1), kind=SessionNote.ContactType.PHONE, sign_hours=5)  # the same day: one contact day
    note(e, D(2025, 3, 3), sign_hours=2)  # 30 days after Feb 1 ...
    note(e, D(2025, 2, 15), sign_hours=48)  # ... until this late entry: Feb 1 -> Feb 15 (14), -> Mar 3 (16)
    note(e, D(2025, 3, 20), sign_hours=7.5)  # 17 days after Mar 3
    base = base_for(admin)
    with CaptureQueriesContext(connection) as queries:
        # Days: A Jan 15 -> Feb 20 (36), Feb 20 -> Mar 31 (39); E 12, 14, 16, 17. Sorted 12 14 16 17 36 39.
        assert value("contact_gap", base) == Decimal("16.5")
        # Hours: the fixture's 1 (six notes), 120 (A's Mar 31); E's 3, 5, 2, 48, 7.5. The 6th and 7th of
        # 1 1 1 1 1 1 2 3 5 7.5 48 120.
        assert value("hours_to_sign", base) == Decimal("1.5")
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "reports_contactgap" in read and "reports_signaturedelay" in read and "clients_sessionnote" not in read
    # The same medians as the drill-down's lists (every contact note with its gap; every note).
    assert sorted(n.gap_days for n in contact_gap(base)) == [12, 14, 16, 17, 36, 39]
    assert sorted(n.hours_to_sign for n in hours_to_sign(base)) == [1] * 6 + [2, 3, 5, 7.5, 48, 120]
    # February and March: only gaps whose previous contact day is in them: A's 39, E's 14, 16 and 17.
    feb_mar = base_for(admin, period=Period(D(2025, 2, 1), D(2025, 3, 31), "Feb-Mar"))
    assert value("contact_gap", feb_mar) == Decimal("16.5")
    assert value("hours_to_sign", feb_mar) == Decimal(3)  # 1 1 1 2 3 5 7.5 48 120: the 5th of 9
    jan = base_for(admin, period=Period(D(2025, 1, 1), D(2025, 1, 31), "Jan"))
    assert value("contact_gap", jan) is None  # A, D, E each one contact in January
    # The supervisor's team (A-D) is read from the notes: A's 36 and 39; hours 1 1 1 1 1 120.
    assert value("contact_gap", base_for(supervisor)) == Decimal("37.5")
    assert value("hours_to_sign", base_for(supervisor)) == Decimal(1)
    # A note filter needs the notes too: phone contacts only (E's Feb 1 phone call has no earlier one).
    assert value("contact_gap", base_for(admin, contact_type="phone")) is None
    assert value("hours_to_sign", base_for(admin, contact_type="phone")) == 3  # A's Feb 20 (1), E's Feb 1 (5)


def test_signing_notes_in_any_order_writes_the_histograms_a_rebuild_writes(world, program, peer):
    a = world["a"]  # contact days Jan 15, Feb 20, Mar 31, Apr 1 in the fixture
    for day, kind in ((D(2025, 5, 5), SessionNote.ContactType.INDIVIDUAL),  # after Apr 1: a new gap
                      (D(2025, 3, 1), SessionNote.ContactType.INDIVIDUAL),  # between Feb 20 and Mar 31
                      (D(2025, 3, 1), SessionNote.ContactType.PHONE),  # the same day again: no change
                      (D(2025, 1, 1), SessionNote.ContactType.GROUP),  # before every other: Jan 15 gets a gap
                      (D(2025, 4, 20), SessionNote.ContactType.OUTREACH)):  # not a contact: no change
        ended = at(day, 11)
        draft = SessionNoteFactory(client=a, author=peer, session_date=day, start_time=datetime.time(10),
                                   end_time=ended.time(), ended_at=ended, contact_type=kind)
        note_sign(note=draft, by=peer)
    # A's contact days now: Jan 1, Jan 15, Feb 20, Mar 1, Mar 31, Apr 1, May 5 (nobody else has two); the
    # Feb 20 -> Mar 31 gap (39) is gone, split in two. Rows: (month, previous day's month, days, how many).
    assert gap_rows(program) == [(D(2025, 1, 1), D(2025, 1, 1), 14, 1), (D(2025, 2, 1), D(2025, 1, 1), 36, 1),
                                 (D(2025, 3, 1), D(2025, 2, 1), 9, 1), (D(2025, 3, 1), D(2025, 3, 1), 30, 1),
                                 (D(2025, 4, 1), D(2025, 3, 1), 1, 1), (D(2025, 5, 1), D(2025, 4, 1), 34, 1)]
    incremental = gap_rows(program)
    contact_gaps_rebuild([program.pk])
    assert gap_rows(program) == incremental
    delays = delay_rows(program)
    assert SignatureDelay.objects.get(program=program, month=D(2025, 5, 1)).notes == 1  # May 5, signed just now
    signature_delays_rebuild([program.pk])
    assert delay_rows(program) == delays
    months = program_rows(program)
    assert sum(row[8] for row in months) == 9 + 5  # the fixture's nine notes and the five signed here
    program_months_rebuild([program.pk])
    assert program_rows(program) == months
    contacts = sorted(ContactMonth.objects.filter(client=a).values_list("month", "last_day"))
    # A's last contact day per month: Jan 15, Feb 20, Mar 31, Apr 1 (its Apr 20 outreach is no contact), May 5.
    assert contacts == [(D(2025, m, 1), D(2025, m, d)) for m, d in ((1, 15), (2, 20), (3, 31), (4, 1), (5, 5))]
    every = sorted(ContactMonth.objects.filter(program=program).values_list("client_id", "month", "last_day"))
    contact_months_rebuild([program.pk])
    assert sorted(ContactMonth.objects.filter(program=program).values_list("client_id", "month", "last_day")) == every


def test_a_whole_program_report_counts_its_notes_from_the_programs_monthly_roll_up(world, admin, base_for):
    base = base_for(admin)
    with CaptureQueriesContext(connection) as queries:
        # The supervisor's six notes in Q1 (tests/reports/test_measures.py) and E's Jan 20: seven.
        assert value("contacts", base) == 7
        assert value("units_billable", base) == 24 + 4
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "reports_programmonth" in read and "reports_notemonth" not in read

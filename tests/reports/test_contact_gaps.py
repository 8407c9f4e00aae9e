"""The median days between contacts from the program's gap histogram (reports.models.ContactGap), on the
hand-built first quarter of 2025 (tests/reports/conftest.py): the expected medians are worked out by hand in
the comments, and signing notes (late entries, same-day contacts, outreach) writes the histogram exactly as
a rebuild does."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import SessionNote
from clients.services.notes import note_sign
from reports.measures import contact_gap, median_of_counts
from reports.models import ContactGap
from reports.periods import Period
from reports.summary import contact_gaps_rebuild
from tests.factories import SessionNoteFactory
from tests.reports.conftest import at, note
from tests.reports.test_measures import value

D = datetime.date


def gap_rows(program):
    return sorted(ContactGap.objects.filter(program=program).values_list("month", "since", "days", "contacts"))


def test_the_median_of_counted_values_is_the_middle_one_or_the_mean_of_the_two_middle_ones():
    assert median_of_counts([]) is None
    assert median_of_counts([(3, 1)]) == 3
    assert median_of_counts([(1, 2), (5, 1), (9, 1)]) == 3  # 1 1 5 9
    assert median_of_counts([(1, 1), (4, 3), (30, 1)]) == 4  # 1 4 4 4 30
    assert median_of_counts([(2, 1), (7, 1)]) == Decimal("4.5")


def test_an_admins_median_days_between_contacts_comes_from_the_gap_histogram_exactly(world, program, admin,
                                                                                      supervisor, base_for):
    e = world["e"]  # the other team's participant: Jan 20 in the fixture
    note(e, D(2025, 2, 1))  # 12 days after Jan 20
    note(e, D(2025, 2, 1), kind=SessionNote.ContactType.PHONE)  # the same day: one contact day
    note(e, D(2025, 3, 3))  # 30 days after Feb 1 ...
    note(e, D(2025, 2, 15))  # ... until this late entry splits it: Feb 1 -> Feb 15 (14), Feb 15 -> Mar 3 (16)
    base = base_for(admin)
    with CaptureQueriesContext(connection) as queries:
        # A: Jan 15 -> Feb 20 (36), Feb 20 -> Mar 31 (39); E: 12, 14, 16. Sorted 12 14 16 36 39.
        assert value("contact_gap", base) == Decimal(16)
    assert "reports_contactgap" in queries.captured_queries[-1]["sql"]
    # The same median as the drill-down's list (every contact note with its gap).
    listed = sorted(n.gap_days for n in contact_gap(base))
    assert listed == [12, 14, 16, 36, 39]
    # February and March: only gaps whose previous contact day is in them: A's 39, E's 14 and 16.
    feb_mar = base_for(admin, period=Period(D(2025, 2, 1), D(2025, 3, 31), "Feb-Mar"))
    assert value("contact_gap", feb_mar) == Decimal(16)
    jan = base_for(admin, period=Period(D(2025, 1, 1), D(2025, 1, 31), "Jan"))
    assert value("contact_gap", jan) is None  # A, D, E each one contact in January
    # The supervisor's team (A-D) is read from the notes: A's 36 and 39.
    assert value("contact_gap", base_for(supervisor)) == Decimal("37.5")
    # A note filter needs the notes too: phone contacts only (E's Feb 1 phone call has no earlier one).
    assert value("contact_gap", base_for(admin, contact_type="phone")) is None


def test_signing_contacts_in_any_order_writes_the_gaps_a_rebuild_writes(world, program, peer):
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

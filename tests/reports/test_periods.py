"""Report periods in the program's days: months, quarters and the federal fiscal year (Oct-Sep)."""

from __future__ import annotations

import datetime

import pytest

from reports.periods import period_for

D = datetime.date


@pytest.mark.parametrize(("preset", "today", "start", "end"), [
    ("this_month", D(2026, 2, 14), D(2026, 2, 1), D(2026, 2, 28)),
    ("last_month", D(2026, 1, 5), D(2025, 12, 1), D(2025, 12, 31)),
    ("this_quarter", D(2026, 11, 30), D(2026, 10, 1), D(2026, 12, 31)),
    ("last_quarter", D(2026, 1, 1), D(2025, 10, 1), D(2025, 12, 31)),
    ("this_ffy", D(2026, 9, 30), D(2025, 10, 1), D(2026, 9, 30)),
    ("this_ffy", D(2026, 10, 1), D(2026, 10, 1), D(2027, 9, 30)),
    ("last_ffy", D(2026, 11, 30), D(2025, 10, 1), D(2026, 9, 30)),
])
def test_each_preset_names_the_right_days(preset, today, start, end):
    period = period_for(preset, today)
    assert (period.start, period.end) == (start, end)


def test_a_custom_period_takes_its_dates_and_the_months_it_touches():
    period = period_for("custom", D(2026, 5, 1), D(2025, 12, 15), D(2026, 2, 3))
    assert period.months() == [(D(2025, 12, 15), D(2025, 12, 31)), (D(2026, 1, 1), D(2026, 1, 31)),
                               (D(2026, 2, 1), D(2026, 2, 3))]


def test_this_month_turns_over_at_midnight_where_the_program_works(program):
    import time_machine

    program.time_zone = "America/Los_Angeles"
    # 2026-03-01 05:00 UTC is still February 28 in Los Angeles.
    with time_machine.travel(datetime.datetime(2026, 3, 1, 5, 0, tzinfo=datetime.UTC), tick=False):
        assert period_for("this_month", program.today()).start == D(2026, 2, 1)


def test_reports_is_in_the_navigation_of_every_role(login, peer, supervisor, admin):
    for user in (peer, supervisor, admin):
        assert 'href="/reports/"' in login(user).get("/").content.decode()

"""Report periods: the presets a funder or supervisor asks for, in the program's days.

A period is a closed range of service dates ``start``..``end`` (both included). "Today" is the program's
date in its time zone (``Program.today``), so "this month" turns over at midnight where the program
works, not on the server. The federal fiscal year runs October 1 to September 30 and is named after the
year it ends in (FFY 2026 = Oct 1, 2025 - Sep 30, 2026).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

THIS_MONTH, LAST_MONTH, THIS_QUARTER, LAST_QUARTER, THIS_FFY, LAST_FFY, CUSTOM = (
    "this_month", "last_month", "this_quarter", "last_quarter", "this_ffy", "last_ffy", "custom")
PRESETS = [
    (THIS_MONTH, _("This month")),
    (LAST_MONTH, _("Last month")),
    (THIS_QUARTER, _("This quarter")),
    (LAST_QUARTER, _("Last quarter")),
    (THIS_FFY, _("This federal fiscal year (Oct-Sep)")),
    (LAST_FFY, _("Last federal fiscal year")),
    (CUSTOM, _("Custom dates")),
]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[tuple[datetime.date, datetime.date]]:
        """The calendar months the period touches, each cut to the period: (first day, last day)."""
        result, day = [], self.start
        while day <= self.end:
            last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            result.append((day, min(last, self.end)))
            day = last + datetime.timedelta(days=1)
        return result


def full_months(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first days of the first and last calendar months wholly inside ``period`` (None: no month is)."""
    first = period.start if period.start.day == 1 else _shift_month(period.start, 1)
    last = _shift_month(period.end, 1) - datetime.timedelta(days=1)
    last = period.end.replace(day=1) if period.end == last else _shift_month(period.end, -1)
    return (first, last) if first <= last else None


def _month(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    return start, _shift_month(start, 3) - datetime.timedelta(days=1)


def ffy_of(day: datetime.date) -> int:
    """The federal fiscal year ``day`` is in (named after the year it ends in)."""
    return day.year + 1 if day.month >= 10 else day.year


def ffy_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year - 1, 10, 1), datetime.date(year, 9, 30)


def period_for(preset: str, today: datetime.date, start: datetime.date | None = None,
               end: datetime.date | None = None) -> Period:
    """The period a preset names, as seen on ``today`` (the program's date); custom takes ``start``/``end``."""
    if preset == LAST_MONTH:
        first, last = _month(*(lambda d: (d.year, d.month))(_shift_month(today.replace(day=1), -1)))
        return Period(first, last, date_format(first, "F Y"))
    if preset in (THIS_QUARTER, LAST_QUARTER):
        first, last = quarter_of(today)
        if preset == LAST_QUARTER:
            first, last = quarter_of(first - datetime.timedelta(days=1))
        return Period(first, last, gettext("Q%(quarter)s %(year)s (%(start)s - %(end)s)") % {
            "quarter": (first.month - 1) // 3 + 1, "year": first.year, "start": date_format(first, "M j"),
            "end": date_format(last, "M j, Y")})
    if preset in (THIS_FFY, LAST_FFY):
        year = ffy_of(today) - (1 if preset == LAST_FFY else 0)
        first, last = ffy_range(year)
        return Period(first, last, gettext("Federal fiscal year %(year)s (%(start)s - %(end)s)") % {
            "year": year, "start": date_format(first, "M j, Y"), "end": date_format(last, "M j, Y")})
    if preset == CUSTOM and start and end:
        return Period(start, end, f"{date_format(start, 'M j, Y')} - {date_format(end, 'M j, Y')}")
    first, last = _month(today.year, today.month)
    return Period(first, last, date_format(first, "F Y"))

"""The report: every registered measure's number for one scoped, filtered period, its breakdown, its
share of another measure, the drill-down link of each number, and the charts' series (with their data
tables). The page, the CSV and XLSX exports and the funder PDF all render this one structure, so they
show the same numbers.

Queries: one or two per measure (the number, its breakdown) and one per chart, whatever the data size;
the engagement chart is one query for all its months.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clients.models import SessionNote
from outcomes.chart import bars
from reports import measures
from reports.measures import MEASURES, SECTIONS, display, percent
from reports.scope import Base

TREND_MONTHS = 12


@dataclass
class Row:
    measure: measures.Measure
    value: object
    text: str
    share: str
    url: str
    groups: list[tuple[str, str, str]] = field(default_factory=list)  # (label, text, url)


@dataclass
class Section:
    key: str
    label: str
    rows: list[Row]


def query_of(base: Base, preset: str) -> dict[str, str]:
    """The query string that rebuilds this report (period and filters): drill-downs and exports carry it."""
    query = {"preset": preset, **base.filters.as_query()}
    if preset == "custom":
        query.update(start=base.period.start.isoformat(), end=base.period.end.isoformat())
    return query


def drill_url(key: str, query: dict, group: str | None = None) -> str:
    params = dict(query)
    if group is not None:
        params["group"] = group
    return f"{reverse('reports:drilldown', kwargs={'measure': key})}?{urlencode(params)}"


def build(base: Base, query: dict) -> list[Section]:
    values: dict[str, object] = {}
    sections: dict[str, list[Row]] = {key: [] for key, _label in SECTIONS}
    for m in MEASURES:
        value = m.value(base)
        values[m.key] = value
        row = Row(m, value, m.display(value), "", drill_url(m.key, query))
        row.groups = [(label, display(m.kind, n), drill_url(m.key, query, group))
                      for group, label, n in m.breakdown(base)]
        sections.setdefault(m.section, []).append(row)
    for rows in sections.values():
        for row in rows:
            if row.measure.of:
                row.share = percent(row.value, values.get(row.measure.of))
    return [Section(key, label, sections[key]) for key, label in SECTIONS if sections.get(key)]


def headlines(sections: list[Section]) -> list[Row]:
    return [row for s in sections for row in s.rows if row.measure.headline]


# --- Charts -----------------------------------------------------------------------------------------

def _chart(key, title, caption, label_header, headers, rows, series) -> dict:
    return {"key": key, "title": title, "caption": caption, "label_header": label_header, "headers": headers,
            "rows": rows, "svg": bars(series)}


def monthly(base: Base) -> dict:
    """Notes and billable units per month of the period, from the note cube (no query of its own)."""
    per_month: dict = {}
    for r in base.note_cube():
        total = per_month.setdefault(r["month"], {"notes": 0, "units": 0})
        total["notes"] += r["notes"]
        total["units"] += r["units_billable"] or 0
    rows, series = [], []
    for first, _last in base.period.months():
        r = per_month.get(datetime.date(first.year, first.month, 1), {"notes": 0, "units": 0})
        label = date_format(first, "M Y")
        rows.append({"label": label, "cells": [f"{r['notes']:,}", f"{r['units']:,}"]})
        series.append((label, r["notes"], f"{r['notes']:,}"))
    return _chart("chart-monthly", _("Notes and billable units per month"),
                  _("Bars: signed notes per month (the table adds the billable units)."), _("Month"),
                  [_("Notes"), _("Billable units")], rows, series)


OPEN_ON_DAY = """EXISTS (SELECT 1 FROM clients_episode e WHERE e.client_id = {client} AND e.started_on <= d.day
                  AND (e.discharged_on IS NULL OR e.discharged_on > d.day))"""

ENGAGEMENT_SQL = """
WITH days0 AS (SELECT day, day + 1 = date_trunc('month', day + 1)::date AS whole,
                      date_trunc('month', day)::date AS month FROM unnest(%s::date[]) AS day),
     days AS (SELECT *, date_trunc('month', day - 29)::date AS first_month,
                     CASE WHEN whole THEN month ELSE (month - interval '1 month')::date END AS last_month FROM days0),
     scope(id) AS ({clients})
SELECT d.day,
  (SELECT count(*) FROM scope s WHERE {open_s}) AS active,
  (SELECT count(*) FROM (SELECT m.client_id FROM reports_contactmonth m
                         WHERE m.program_id = %s AND m.month BETWEEN d.first_month AND d.last_month
                           AND m.last_day >= d.day - 29
                         UNION
                         SELECT n.client_id FROM clients_sessionnote n
                         WHERE NOT d.whole AND n.status = %s AND n.contact_type = ANY(%s)
                           AND n.session_date BETWEEN GREATEST(d.day - 29, d.month) AND d.day) c
   WHERE c.client_id IN (SELECT id FROM scope) AND {open_c}) AS engaged
FROM days d ORDER BY d.day
"""


def engagement_trend(base: Base) -> dict:
    """At each month's end (the last ``TREND_MONTHS``, today for the current month): active participants
    and those with a signed contact note in the 30 days ending that day: the engagement measures'
    definitions (``measures.open_on``, ``measures.contacted_within``; the test holds them together), all
    months in one query. The contacts come from each participant's last contact day per month
    (``reports.models.ContactMonth``, the program's rows: a month's ``last_day`` in the window; every note
    of a month before the day's, or of the day's month when the day ends it, is on or before the day), and
    from the notes of the day's month up to the day when it does not end it."""
    ends = [min(last, base.today) for _first, last in base.period.months()[-TREND_MONTHS:]]
    clients_sql, clients_params = base.clients().values("pk").query.sql_with_params()
    sql = ENGAGEMENT_SQL.format(clients=clients_sql, open_s=OPEN_ON_DAY.format(client="s.id"),
                                open_c=OPEN_ON_DAY.format(client="c.client_id"))
    contacts = [str(t) for t in SessionNote.CONTACT_TYPES]
    with connection.cursor() as cursor:
        cursor.execute(sql, [ends, *clients_params, base.program.pk, SessionNote.Status.SIGNED.value, contacts])
        counts = {day: (active, engaged) for day, active, engaged in cursor.fetchall()}
    rows, series = [], []
    for day in ends:
        active, engaged = counts.get(day, (0, 0))
        share = percent(engaged, active) or _("none")
        label = date_format(day, "M Y")
        rows.append({"label": label, "cells": [f"{active:,}", f"{engaged:,}", share]})
        series.append((label, round(100 * engaged / active, 1) if active else 0, share))
    return _chart("chart-engagement", _("Engagement at each month's end"),
                  _("Bars: percent of active participants with a contact in the 30 days before the month's end."),
                  _("Month"), [pgettext("participants", "Active"), _("Contacted in 30 days"), _("Share")], rows, series)


def recovery_change(base: Base) -> dict:
    """Mean first and latest scores of the participants the recovery-capital measures count (their shared
    query, ``measures.recovery_counts``)."""
    agg = measures.recovery_counts(base)
    agg = {"first": agg["first"], "latest": agg["latest"], "n": agg["rc_two"]}
    rows, series = [], []
    for label, value in ((_("First check-in"), agg["first"]), (_("Latest check-in"), agg["latest"])):
        text = display(measures.MEAN, value)
        rows.append({"label": label, "cells": [text, f"{agg['n']:,}"]})
        if value is not None:
            series.append((label, value, text))
    return _chart("chart-recovery", _("Recovery capital: mean score, first and latest check-in"),
                  _("Bars: mean score of the participants with two or more check-ins."), _("Check-in"),
                  [_("Mean score"), _("Participants")], rows, series)


def goals_by_dimension(base: Base) -> dict:
    m = measures.by_key()["goals_achieved"]
    groups = m.breakdown(base)
    rows = [{"label": label, "cells": [f"{n:,}"]} for _g, label, n in groups]
    return _chart("chart-goals", _("Goals achieved, by dimension"),
                  _("Bars: goals achieved in the period per dimension."), _("Dimension"), [_("Goals achieved")], rows,
                  [(label, n, f"{n:,}") for _g, label, n in groups])


def charts(base: Base) -> list[dict]:
    return [monthly(base), engagement_trend(base), recovery_change(base), goals_by_dimension(base)]

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

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from outcomes.chart import bars
from reports import measures
from reports.measures import MEASURES, SECTIONS, display, percent
from reports.scope import Base


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
        url = drill_url(m.key, query)
        # each group's link is the measure's with the group added last (as ``drill_url`` writes it)
        row = Row(m, value, m.display(value), "", url)
        row.groups = [(label, display(m.kind, n), f"{url}&{urlencode({'group': group})}")
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


def engagement_trend(base: Base) -> dict:
    """At each month's end (the last ``measures.TREND_MONTHS``, today for the current month): active
    participants and those with a signed contact note in the 30 days ending that day: the engagement
    measures' definitions and their query (``measures.engagement_at``; the test holds them together)."""
    counts = measures.engagement_at(base)
    rows, series = [], []
    for day in measures.engagement_days(base):
        found = counts.get(day, {})
        active, engaged = found.get("active", 0), found.get("engaged_30", 0)
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

"""Every measure of the reports, defined once: what it counts (``counted``, a translatable text shown
under "What is counted"), the records it counts
(``records(base)``, a queryset or a list) and how the number is taken from them (``kind``).

The number and the drill-down list come from the same ``records`` call, so a count always equals the
length of the list it links to, a sum the sum of the listed values, a median the median of the listed
values (tests/reports/test_drilldown.py checks it for every measure in ``MEASURES``).

Where the referrals and billing measures go
-------------------------------------------
``MEASURES`` is the registry; sections appear in ``SECTIONS`` order. The referral measures live in
``reports/measures_referrals.py`` (``section="referrals"``), the billing ones (units over a cap, notes
that bill nothing and why, units used under authorizations) in ``reports/measures_billing.py``
(``section="billing"``), each defining its ``Measure`` objects with the ``measure`` decorator below and
imported at the end of this file. Reports sits above every app, so it may import ``referrals.models``
and ``billing.models`` directly; nothing else changes: the page, the drill-down, the exports, the PDF
and the equality test pick every registered measure up.

Where the numbers are read from
-------------------------------
Note counts and sums come from the period's note cube (``Base.note_cube``): the period's whole months
from the monthly summary ``reports.models.NoteMonth`` (kept as notes are signed), its other days from
the notes. Participants served and engagement read the same summary. The medians (hours to signature,
days between contacts) stay exact: a program's report over whole months (every preset of an admin's) reads
them from the program's exact histograms (``reports.models.SignatureDelay``, ``ContactGap``), any other from
every note of the period, since a median needs every value.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Cast, Extract, Lag, TruncDate
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clients.models import DischargeReason, Episode, FollowUp, Goal, SessionNote
from outcomes import gpra, schedule
from outcomes.models import CheckIn, Interview, OutcomeSettings
from outcomes.models.gpra import add_months
from recovery.compiled import compiled_list, compiled_row, compiled_value, record_key
from reports.models import ContactMonth, NoteMonth
from reports.scope import Base
from supervision.models import Attendance

COUNT, MINUTES, UNITS, MEDIAN, MEAN = "count", "minutes", "units", "median", "mean"

SECTIONS = [
    ("participants", _("Participants served")),
    ("contacts", _("Contacts")),
    ("billing", _("Hours and units")),
    ("engagement", _("Engagement")),
    ("followups", _("Follow-ups")),
    ("timeliness", _("Note timeliness")),
    ("goals", _("Goals")),
    ("recovery", _("Recovery capital")),
    ("gpra", _("GPRA follow-up")),
    ("referrals", _("Referrals")),
    ("supervision", _("Supervision")),
    ("safety", _("Crisis flags")),
]


@dataclass
class Measure:
    key: str
    section: str
    label: str
    records: Callable[[Base], QuerySet | list]
    counted: str = ""  # what is counted, in words (a lazy translation: read in the reader's language)
    kind: str = COUNT
    field: str = ""  # what a sum, median or mean is taken of
    group: str = ""  # the field a breakdown groups by ("" : no breakdown)
    group_labels: dict | Callable[[Base], dict] | None = None  # a function: labels of the base's program
    of: str = ""  # the measure this one is a share of
    headline: bool = False
    unit: str = ""
    # A note measure read from the period's note cube (``Base.note_cube``): which cube rows it takes and
    # which of their totals it adds up. The drill-down still lists ``records``; the equality test holds
    # the two together.
    cube: tuple[Callable[[dict], bool], str] | None = None
    # A count read from a dictionary several measures share (one query for all of them): (function of
    # the base returning the dictionary, key). The equality test holds it to ``records`` as well.
    shared: tuple[Callable[[Base], dict], str] | None = None
    # ``records`` returns a list (computed in Python), not a queryset: its count is not a compiled query.
    listed: bool = False

    @property
    def doc(self) -> str:
        """What is counted, in the active language (the page, the drill-down and the exports show it)."""
        return str(self.counted)

    # --- the number ------------------------------------------------------------------------------
    def value(self, base: Base):
        if self.shared:
            compute, key = self.shared
            return compute(base)[key]
        if self.cube:
            where, total = self.cube
            return sum(r[total] or 0 for r in base.note_cube() if where(r))
        if self.kind in (COUNT, MINUTES, UNITS) and not self.listed:
            # One count or sum: its SQL is kept per process under every input of ``records`` (as
            # ``_breakdown``), the query still run every time.
            return compiled_value(("reports.value", self.key, *base.key()), lambda: self._queried(base))
        return self.value_of(self.records(base))

    def _queried(self, base: Base):
        records = self.records(base)
        if not isinstance(records, QuerySet):
            raise TypeError(f"{self.key}: records is a list; mark the measure listed=True")
        return self.value_of(records)

    def value_of(self, records):
        """The number, from ``records`` (the drill-down list, or its queryset: the same query)."""
        if isinstance(records, list):
            values = [getattr(r, self.field) for r in records] if self.field else records
            if self.kind == COUNT:
                return len(records)
            if self.kind in (MINUTES, UNITS):
                return sum(values)
            if not values:
                return None
            return (statistics.median(values) if self.kind == MEDIAN else statistics.fmean(values))
        if self.kind == COUNT:
            return records.count()
        if self.kind in (MINUTES, UNITS):
            return records.aggregate(total=Sum(self.field, default=0))["total"]
        return _percentile(records, self.field) if self.kind == MEDIAN else _mean(records, self.field)

    def breakdown(self, base: Base) -> list[tuple[str, str, object]]:
        """(group value, label, number) per group, in label order; one query, once per report (a chart may
        show it again)."""
        if not self.group:
            return []
        key = f"breakdown:{self.key}"
        if key not in base.cache:
            base.cache[key] = self._breakdown(base)
        return base.cache[key]

    def _breakdown(self, base: Base) -> list[tuple[str, str, object]]:
        labels = (self.group_labels(base) if callable(self.group_labels) else self.group_labels) or {}
        if self.cube:
            where, total = self.cube
            sums: dict = {}
            for r in base.note_cube():
                if where(r):
                    sums[r[self.group]] = sums.get(r[self.group], 0) + (r[total] or 0)
            return sorted(((str(g if g is not None else ""),
                            str(labels.get(g, g if g not in (None, "") else gettext("None"))), n)
                           for g, n in sums.items()), key=lambda r: r[1])
        aggregate = Count("pk", distinct=True) if self.kind == COUNT else Sum(self.field, default=0)
        # Building and compiling this query costs more CPU than running it: its SQL is kept per process
        # under every input of ``records`` (recovery.compiled; ``Base.key``), the rows read every time.
        rows = compiled_list(("reports.breakdown", self.key, *base.key()),
                             lambda: self.records(base).order_by().values(self.group).annotate(n=aggregate))
        result = [(str(r[self.group] if r[self.group] is not None else ""),
                   str(labels.get(r[self.group],
                                  r[self.group] if r[self.group] not in (None, "") else gettext("None"))),
                   r["n"]) for r in rows]
        return sorted(result, key=lambda r: r[1])

    def records_in_group(self, base: Base, group: str | None):
        records = self.records(base)
        if group is None or not self.group:
            return records
        if group == "":
            return records.filter(Q(**{f"{self.group}__isnull": True}) | Q(**{self.group: ""}))
        return records.filter(**{self.group: group})

    def display(self, value) -> str:
        return display(self.kind, value)


def display(kind: str, value) -> str:
    if value is None:
        return gettext("none")
    if kind == MINUTES:
        return f"{Decimal(value) / 60:,.1f}"
    if kind in (MEDIAN, MEAN):
        return f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"
    return f"{value:,}"


def percent(part, whole) -> str:
    if not whole or part is None:
        return ""
    return f"{(Decimal(100 * part) / whole).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _aggregate(records: QuerySet, field: str, aggregate: str):
    """``aggregate`` (SQL over the column ``x.<field>``) of ``field`` across ``records``, as a Decimal."""
    sql, params = records.order_by().values(field).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregate} FROM ({sql}) x", params)  # noqa: S608 (our constants and Django's SQL)
        value = cursor.fetchone()[0]
    return None if value is None else Decimal(str(value))


def _percentile(records: QuerySet, field: str):
    return _aggregate(records, field, f"percentile_cont(0.5) WITHIN GROUP (ORDER BY x.{field})")


def _mean(records: QuerySet, field: str):
    return _aggregate(records, field, f"avg(x.{field})")


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY expression)``."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


HISTOGRAM_MEDIAN_SQL = """
WITH h AS ({histogram}),
     c AS (SELECT value, sum(n) OVER (ORDER BY value)::bigint AS upto, sum(n) OVER ()::bigint AS total FROM h)
SELECT (min(value) FILTER (WHERE upto > (total - 1) / 2) + min(value) FILTER (WHERE upto > total / 2)) / 2.0 FROM c
"""


def histogram_median(histogram: str, params: list) -> Decimal | None:
    """The exact median of the values a histogram query counts (its rows: ``value``, ``n`` how many times,
    one row per value): the middle value, or the mean of the two middle ones, as ``percentile_cont(0.5)``
    over the values themselves would answer; None when it counts nothing. One query."""
    with connection.cursor() as cursor:
        cursor.execute(HISTOGRAM_MEDIAN_SQL.format(histogram=histogram), params)
        value = cursor.fetchone()[0]
    return None if value is None else Decimal(value)


def program_histograms(base: Base) -> tuple[datetime.date, datetime.date] | None:
    """The first days of the period's first and last months when the program's exact histograms
    (``reports.models.ContactGap``, ``SignatureDelay``) answer the report's medians: the whole program
    (an admin, no participant filter), a period of whole months (every preset) and no note filter."""
    f = base.filters
    if base.whole_program and base.of_whole_months and not (f.service_code_id or f.contact_type):
        return base.whole_months
    return None


DELAYS_SQL = """SELECT microseconds AS value, sum(notes) AS n FROM reports_signaturedelay
WHERE program_id = %s AND month BETWEEN %s AND %s GROUP BY microseconds"""
MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)


def served_count(base: Base) -> int:
    """Participants in scope with a signed contact note in the period: found in the program's last contact
    days of the period's whole months (``ContactMonth``; with a note filter, probed per participant in their
    monthly summary rows, ``note_month_contact_idx``) and in their notes of its other days, never by reading
    every note of the period."""
    f = base.filters
    found = Q()
    if base.whole_months and not (f.service_code_id or f.contact_type):
        # no note filter: the program's last contact day per participant and month (``ContactMonth``), one
        # narrow index range of the period's months
        first, last = base.whole_months
        found |= Exists(ContactMonth.objects.filter(program=base.program, month__gte=first, month__lte=last,
                                                    client=OuterRef("pk")))
    elif base.whole_months:
        first, last = base.whole_months
        contacts = [str(t) for t in SessionNote.CONTACT_TYPES]  # note_month_contact_idx's condition
        months = NoteMonth.objects.filter(client=OuterRef("pk"), contact_type__in=contacts, month__gte=first,
                                          month__lte=last)
        if f.service_code_id:
            months = months.filter(service_code_id=f.service_code_id)
        if f.contact_type:
            months = months.filter(contact_type=f.contact_type)
        found |= Exists(months)
    if base.whole_months != (base.period.start, base.period.end.replace(day=1)):
        found |= Exists(base.partial_notes().contacts().filter(client=OuterRef("pk")))
    return base.clients().filter(found).count()


def note_totals(base: Base) -> dict:
    """Participants served (``served_count``) and the median hours to signature: from the program's exact
    histogram of signature delays when it answers (``program_histograms``: one index-only read of the
    period's months), otherwise from every note of the period (a median needs every value); shared by those
    two measures (their ``records`` list the same things)."""
    if "note_totals" not in base.cache:
        months = program_histograms(base)
        if months:
            median = histogram_median(DELAYS_SQL, [base.program.pk, *months])
            hours = None if median is None else median / MICROSECONDS_PER_HOUR
        else:
            hours_between = Extract(F("signed_at") - F("ended_at"), "epoch") / 3600.0
            hours = base.notes().aggregate(hours=Median(hours_between))["hours"]
            hours = None if hours is None else Decimal(str(hours))
        base.cache["note_totals"] = {"served": served_count(base), "hours_to_sign": hours}
    return base.cache["note_totals"]


MEASURES: list[Measure] = []


# Which rows of the note cube (``Base.note_cube``) a note measure takes.
def every(row: dict) -> bool:
    return True


def bills(row: dict) -> bool:
    return row["bills"]


def bills_nothing(row: dict) -> bool:
    return not row["bills"]


def late(row: dict) -> bool:
    return row["late_entry"]


def flagged(row: dict) -> bool:
    return row["crisis_flag"]


def measure(key: str, section: str, label: str, *, counted: str, **options) -> Callable:
    """Register the decorated ``records(base)`` function as a measure; ``counted`` says what is counted, in
    words (``_("…")``: the one definition, translated when it is shown)."""
    def register(records):
        MEASURES.append(Measure(key, section, label, records, counted=counted, **options))
        return records
    return register


def by_key() -> dict[str, Measure]:
    return {m.key: m for m in MEASURES}


def _local_day(field: str, base: Base) -> TruncDate:
    return TruncDate(field, tzinfo=base.zone)


# --- Participants served, enrolled and discharged ------------------------------------------------------

@measure("served", "participants", _("Participants served (unduplicated)"), headline=True,
         shared=(note_totals, "served"),
         counted=_("Participants with at least one signed contact note (individual, group, phone or telehealth; not "
                   "outreach attempts or collateral contacts) dated in the period; each participant counts once "
                   "however many contacts they had."))
def served(base: Base):
    contacts = base.notes().contacts().filter(client=OuterRef("pk"))
    return base.clients().filter(Exists(contacts))


def _episodes_started_in(base: Base) -> QuerySet:
    return Episode.objects.filter(base.in_period("started_on"), client=OuterRef("pk"))


@measure("new", "participants", _("New participants (first enrolment)"), headline=True,
         counted=_("Participants whose first episode of service ever started (intake date) in the period. Enrolled "
                   "twice in the period, they count once."))
def new_participants(base: Base):
    earlier = Episode.objects.filter(client=OuterRef("pk"), started_on__lt=base.period.start)
    return base.clients().filter(Exists(_episodes_started_in(base)), ~Exists(earlier))


@measure("reenrolled", "participants", _("Re-enrolled participants"),
         counted=_("Participants with an episode started in the period who had an earlier episode that started "
                   "before the period (a returning participant); counted once, and never also as new."))
def reenrolled(base: Base):
    earlier = Episode.objects.filter(client=OuterRef("pk"), started_on__lt=base.period.start)
    return base.clients().filter(Exists(_episodes_started_in(base)), Exists(earlier))


@measure("discharged", "participants", _("Discharges"), group="discharge_reason",
         group_labels=lambda base: DischargeReason.labels_for(base.program.pk),
         counted=_("Episodes of service closed (discharge date) in the period, by discharge reason; a participant "
                   "discharged twice in the period counts twice, once per episode."))
def discharged(base: Base):
    return Episode.objects.filter(base.in_period("discharged_on"), client__in=base.clients())


# --- Contacts ----------------------------------------------------------------------------------------

@measure("contacts", "contacts", _("Notes by type of contact"), group="contact_type",
         group_labels=dict(SessionNote.ContactType.choices), headline=True, cube=(every, "notes"),
         counted=_("Signed session notes dated in the period, of every type (outreach attempts and collateral "
                   "contacts included, each in its own row)."))
def contacts(base: Base):
    return base.notes()


@measure("contacts_by_setting", "contacts", _("Notes by setting"), group="setting",
         group_labels={**dict(SessionNote.Setting.choices), "": _("Not recorded")}, cube=(every, "notes"),
         counted=_("The same signed notes dated in the period, by where the session took place."))
def contacts_by_setting(base: Base):
    return base.notes()


# --- Hours and units ---------------------------------------------------------------------------------

@measure("hours", "billing", _("Hours of service, by service code"), kind=MINUTES, field="duration_minutes",
         group="service_code__code", headline=True, unit=_("hours"), cube=(every, "minutes"),
         counted=_('Minutes of the signed notes dated in the period, shown as hours, by service code ("None": notes '
                   "without a code)."))
def hours(base: Base):
    return base.notes()


@measure("hours_billable", "billing", _("Hours that bill at least one unit"), kind=MINUTES, field="duration_minutes",
         unit=_("hours"), cube=(bills, "minutes"),
         counted=_("Minutes of signed notes dated in the period whose billable units are more than zero."))
def hours_billable(base: Base):
    return base.notes().filter(units_billable__gt=0)


@measure("hours_not_billable", "billing", _("Hours that bill nothing"), kind=MINUTES, field="duration_minutes",
         unit=_("hours"), cube=(bills_nothing, "minutes"),
         counted=_("Minutes of signed notes dated in the period that bill no unit: no code, a non-billable code, an "
                   "outreach attempt, a session too short for a unit, or a participant already at a cap."))
def hours_not_billable(base: Base):
    return base.notes().filter(units_billable=0)


@measure("units_delivered", "billing", _("Units delivered (before caps)"), kind=UNITS, field="units_computed",
         group="service_code__code", unit=_("units"), cube=(every, "units_computed"),
         counted=_("Units the signed notes dated in the period are worth by their minutes and the program's rounding "
                   "rule (clients.units.units_for_minutes, fixed at signing), before any cap, by service code."))
def units_delivered(base: Base):
    return base.notes()


@measure("units_billable", "billing", _("Units billable (after daily and yearly caps)"), kind=UNITS,
         field="units_billable", group="service_code__code", headline=True, unit=_("units"),
         cube=(every, "units_billable"),
         counted=_("Units the same notes bill: what clients.units fixed at signing after the service code's daily "
                   "and yearly caps per participant (units over a cap count as capped, not as delivered), by service "
                   "code."))
def units_billable(base: Base):
    return base.notes()


# --- Engagement --------------------------------------------------------------------------------------

def open_on(day: datetime.date) -> Exists:
    """The participant (outer row) has an open episode of service on ``day``."""
    return Exists(Episode.objects.filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day),
                                         client=OuterRef("pk"), started_on__lte=day))


def contacted_within(day: datetime.date, days: int) -> Exists:
    """The participant (outer row) has a signed contact note dated in the ``days`` days ending on ``day``."""
    since = day - datetime.timedelta(days=days - 1)
    return Exists(SessionNote.objects.signed().contacts().filter(client=OuterRef("pk"), session_date__gte=since,
                                                                 session_date__lte=day))


def _active(base: Base) -> QuerySet:
    return base.clients().filter(open_on(base.as_of))


def _contacted_within(base: Base, days: int) -> Exists:
    return contacted_within(base.as_of, days)


TREND_MONTHS = 12  # the engagement chart's month-ends

ENGAGEMENT_SQL = """
WITH days0 AS (SELECT DISTINCT day, day + 1 = date_trunc('month', day + 1)::date AS whole,
                      date_trunc('month', day)::date AS month,
                      CASE WHEN day = %s THEN 59 ELSE 29 END AS width FROM unnest(%s::date[]) AS day),
     days AS (SELECT *, date_trunc('month', day - width)::date AS first_month,
                     CASE WHEN whole THEN month ELSE (month - interval '1 month')::date END AS last_month FROM days0),
     scope(id) AS ({clients}),
     contacts AS (
       SELECT d.day, c.client_id, max(c.last) AS last FROM days d CROSS JOIN LATERAL (
         SELECT m.client_id, m.last_day AS last FROM reports_contactmonth m
         WHERE m.program_id = %s AND m.month BETWEEN d.first_month AND d.last_month AND m.last_day >= d.day - d.width
         UNION ALL
         SELECT n.client_id, n.session_date FROM clients_sessionnote n
         WHERE NOT d.whole AND n.status = %s AND n.contact_type = ANY(%s)
           AND n.session_date BETWEEN GREATEST(d.day - d.width, d.month) AND d.day) c
       GROUP BY d.day, c.client_id)
SELECT d.day, count(*),
       count(*) FILTER (WHERE k.last >= d.day - 29),
       count(*) FILTER (WHERE k.last IS NULL OR k.last < d.day - 29),
       count(*) FILTER (WHERE k.last IS NULL OR k.last < d.day - 44),
       count(*) FILTER (WHERE k.last IS NULL OR k.last < d.day - 59)
FROM days d JOIN scope s ON EXISTS (SELECT 1 FROM clients_episode e WHERE e.client_id = s.id AND e.started_on <= d.day
                                    AND (e.discharged_on IS NULL OR e.discharged_on > d.day))
LEFT JOIN contacts k ON k.day = d.day AND k.client_id = s.id
GROUP BY d.day
"""
ENGAGEMENT_KEYS = ["active", "engaged_30", "no_contact_30", "no_contact_45", "no_contact_60"]


def engagement_days(base: Base) -> list[datetime.date]:
    """The engagement chart's days: the end of each of the period's last ``TREND_MONTHS`` months (today for
    the current month); the last is ``base.as_of``, the engagement measures' day."""
    return [min(last, base.today) for _first, last in base.period.months()[-TREND_MONTHS:]]


def engagement_at(base: Base) -> dict[datetime.date, dict]:
    """For each of ``engagement_days``: participants in scope with an open episode that day (``open_on``),
    those with a signed contact note in the 30 days ending that day (``contacted_within``) and those
    without; on ``base.as_of`` also without one in 45 and 60 days (the other days look back 30 days only).
    One query for the chart and the engagement measures. A participant's last contact comes from their last
    contact day of each month (``reports.models.ContactMonth``, the program's rows: a month's ``last_day``
    in the window; every note of a month before the day's, or of the day's month when the day ends it, is
    on or before the day), and from the notes of the day's month up to the day when it does not end it."""
    if "engagement" not in base.cache:
        clients_sql, clients_params = base.clients().order_by().values("pk").query.sql_with_params()
        contacts = [str(t) for t in SessionNote.CONTACT_TYPES]
        with connection.cursor() as cursor:
            cursor.execute(ENGAGEMENT_SQL.format(clients=clients_sql),
                           [base.as_of, engagement_days(base), *clients_params, base.program.pk,
                            SessionNote.Status.SIGNED.value, contacts])
            base.cache["engagement"] = {day: dict(zip(ENGAGEMENT_KEYS, counts, strict=True))
                                        for day, *counts in cursor.fetchall()}
    return base.cache["engagement"]


def engagement_counts(base: Base) -> dict:
    """Active participants on ``base.as_of`` and how many were (not) contacted within 30, 45 and 60 days
    (``engagement_at``), shared by the engagement measures."""
    return engagement_at(base).get(base.as_of) or dict.fromkeys(ENGAGEMENT_KEYS, 0)


@measure("active", "engagement", _("Active participants at the end of the period"),
         shared=(engagement_counts, "active"),
         counted=_("Participants with an open episode of service on the period's last day (or today, if the period "
                   "has not ended): intake on or before it, not discharged by it."))
def active(base: Base):
    return _active(base)


@measure("engaged_30", "engagement", _("Active with a contact in the last 30 days"), of="active", headline=True,
         shared=(engagement_counts, "engaged_30"),
         counted=_("Active participants (above) with a signed contact note dated in the 30 days ending on that day."))
def engaged_30(base: Base):
    return _active(base).filter(_contacted_within(base, 30))


def _no_contact(days: int):
    def records(base: Base):
        return _active(base).exclude(_contacted_within(base, days))
    return records


def _no_contact_counted(days: int) -> str:
    return gettext("Active participants with no signed contact note dated in the %(days)s days ending on the "
                   "period's last day (or today).") % {"days": days}


# One label per window (a lazy translation cannot take its number at import time).
NO_CONTACT_LABELS = {30: _("Active with no contact in 30 days"), 45: _("Active with no contact in 45 days"),
                     60: _("Active with no contact in 60 days")}

for _days in (30, 45, 60):
    measure(f"no_contact_{_days}", "engagement", NO_CONTACT_LABELS[_days], of="active",
            shared=(engagement_counts, f"no_contact_{_days}"),
            counted=lazy(_no_contact_counted, str)(_days))(_no_contact(_days))


GAPS_SQL = """SELECT days AS value, sum(contacts) AS n FROM reports_contactgap
WHERE program_id = %s AND month BETWEEN %s AND %s AND since >= %s GROUP BY days"""


def contact_gaps(base: Base) -> dict:
    """The median days between contacts: from the program's exact histogram of gaps when it answers
    (``program_histograms``; ``reports.models.ContactGap``: the gaps whose previous contact day is in the
    period, i.e. its month is), one index-only read of a few thousand rows; otherwise the median of the
    measure's own records (a window over the period's contact notes)."""
    if "contact_gaps" not in base.cache:
        months = program_histograms(base)
        if months:
            median = histogram_median(GAPS_SQL, [base.program.pk, *months, months[0]])
        else:
            median = _percentile(contact_gap(base), "gap_days")
        base.cache["contact_gaps"] = {"median": median}
    return base.cache["contact_gaps"]


@measure("contact_gap", "engagement", _("Median days between contacts"), kind=MEDIAN, field="gap_days", unit=_("days"),
         shared=(contact_gaps, "median"),
         counted=_("For each signed contact note dated in the period, the days since the same participant's previous "
                   "contact in the period on an earlier day; the median of those gaps (same-day contacts are one)."))
def contact_gap(base: Base):
    notes = base.notes().contacts()
    previous = Window(Lag("session_date"), partition_by=[F("client_id")], order_by=[F("session_date"), F("pk")])
    gap = Extract(ExpressionWrapper(F("session_date") - F("previous_date"), output_field=DurationField()),
                  "epoch") / 86400.0
    return (notes.annotate(previous_date=previous).annotate(gap_days=Cast(gap, FloatField()))
            .filter(gap_days__gt=0).select_related("client"))


# --- Follow-ups --------------------------------------------------------------------------------------

def _followups(base: Base) -> QuerySet:
    return FollowUp.objects.filter(base.in_period("due_on"), client__in=base.clients()).exclude(
        status=FollowUp.Status.CANCELLED)


def followup_counts(base: Base) -> dict:
    """The four follow-up counts in one query over the period's follow-ups (each measure's ``records`` list
    the same ones: the equality test holds them together)."""
    if "followups" not in base.cache:
        done = Q(status=FollowUp.Status.DONE)
        base.cache["followups"] = _followups(base).annotate(closed_on=_local_day("closed_at", base)).aggregate(
            followups_due=Count("pk"), followups_done=Count("pk", filter=done),
            followups_on_time=Count("pk", filter=done & Q(closed_on__lte=F("due_on"))),
            followups_overdue=Count("pk", filter=Q(status=FollowUp.Status.OPEN, due_on__lt=base.today)))
    return base.cache["followups"]


@measure("followups_due", "followups", _("Follow-ups due"), shared=(followup_counts, "followups_due"),
         counted=_("Follow-ups due in the period, not cancelled."))
def followups_due(base: Base):
    return _followups(base)


@measure("followups_done", "followups", pgettext_lazy("follow-ups", "Completed"), of="followups_due",
         shared=(followup_counts, "followups_done"),
         counted=_("Follow-ups due in the period that were marked done (whenever)."))
def followups_done(base: Base):
    return _followups(base).filter(status=FollowUp.Status.DONE)


@measure("followups_on_time", "followups", _("Completed on time"), of="followups_due",
         shared=(followup_counts, "followups_on_time"),
         counted=_("Follow-ups due in the period marked done on or before their due date (the day they were closed, "
                   "in the program's time zone)."))
def followups_on_time(base: Base):
    return (_followups(base).filter(status=FollowUp.Status.DONE)
            .annotate(closed_on=_local_day("closed_at", base)).filter(closed_on__lte=F("due_on")))


@measure("followups_overdue", "followups", _("Overdue (still open)"), of="followups_due",
         shared=(followup_counts, "followups_overdue"),
         counted=_("Follow-ups due in the period still open after their due date (today in the program's time zone)."))
def followups_overdue(base: Base):
    return _followups(base).filter(status=FollowUp.Status.OPEN, due_on__lt=base.today)


# --- Note timeliness ---------------------------------------------------------------------------------

@measure("notes_signed", "timeliness", _("Signed notes"), cube=(every, "notes"),
         counted=_("Signed notes dated in the period (whenever they were signed: a note signed after the period "
                   "counts in the period of its service date)."))
def notes_signed(base: Base):
    return base.notes()


@measure("late_entries", "timeliness", _("Late entries"), of="notes_signed", cube=(late, "notes"),
         counted=_("Signed notes dated in the period that were signed after the program's signing deadline (marked "
                   "late entries when signed)."))
def late_entries(base: Base):
    return base.notes().filter(late_entry=True)


@measure("hours_to_sign", "timeliness", _("Median hours from session end to signature"), kind=MEDIAN,
         field="hours_to_sign", unit=_("hours"), shared=(note_totals, "hours_to_sign"),
         counted=_("For each signed note dated in the period, the hours from the end of the session to its "
                   "signature; the median of those."))
def hours_to_sign(base: Base):
    hours_between = Extract(F("signed_at") - F("ended_at"), "epoch") / 3600.0
    return base.notes().annotate(hours_to_sign=Cast(hours_between, FloatField())).select_related("client")


# --- Goals -------------------------------------------------------------------------------------------

def _goals(base: Base) -> QuerySet:
    return Goal.objects.filter(plan__client__in=base.clients())


@measure("goals_set", "goals", _("Goals set, by dimension"), group="dimensions__name",
         counted=_("Goals written in the period (created in the program's time zone), not counting goals carried "
                   "forward into a new plan version; a goal tagged with two dimensions counts in each dimension's "
                   "row and once in the total."))
def goals_set(base: Base):
    return _goals(base).filter(carried_from__isnull=True).annotate(
        set_on=_local_day("created_at", base)).filter(set_on__gte=base.period.start, set_on__lte=base.period.end)


@measure("goals_achieved", "goals", _("Goals achieved, by dimension"), group="dimensions__name", headline=True,
         counted=_("Goals first marked achieved in the period (the change history's date, in the program's time "
                   "zone), by dimension as above."))
def goals_achieved(base: Base):
    events = apps.get_model("clients", "GoalEvent").objects.filter(pgh_obj_id=OuterRef("pk"),
                                                                   status=Goal.Status.ACHIEVED)
    first = Subquery(events.order_by("pgh_created_at").values("pgh_created_at")[:1])
    return _goals(base).annotate(achieved_at=first).annotate(
        achieved_on=TruncDate("achieved_at", tzinfo=base.zone)).filter(
        achieved_on__gte=base.period.start, achieved_on__lte=base.period.end)


# --- Recovery capital --------------------------------------------------------------------------------

def outcome_settings(base: Base) -> OutcomeSettings:
    """The program's outcome settings, read once per report."""
    if "outcome_settings" not in base.cache:
        base.cache["outcome_settings"] = OutcomeSettings.of(base.program)
    return base.cache["outcome_settings"]


def scheduled_instrument(base: Base):
    if "instrument" not in base.cache:
        base.cache["instrument"] = schedule.scheduled_instrument(outcome_settings(base))
    return base.cache["instrument"]


def _recovery(base: Base) -> QuerySet:
    instrument = scheduled_instrument(base)
    checkins = CheckIn.objects.filter(client=OuterRef("pk"), instrument=instrument, score__isnull=False,
                                      taken_on__lte=base.period.end)
    first = checkins.order_by("taken_on", "created_at", "pk").values("score")[:1]
    latest = checkins.order_by("-taken_on", "-created_at", "-pk")
    clients = base.clients().annotate(
        first_score=Subquery(first), latest_score=Subquery(latest.values("score")[:1]),
        latest_on=Subquery(latest.values("taken_on")[:1]),
        checkin_count=Subquery(checkins.order_by().values("client").annotate(n=Count("pk")).values("n")[:1]),
    ).filter(checkin_count__gte=2, latest_on__gte=base.period.start)
    return clients.annotate(score_change=F("latest_score") - F("first_score"))


def marker_score(base: Base):
    if "marker" not in base.cache:
        instrument = scheduled_instrument(base)
        # ``Scale.marker``, from the instrument's thresholds alone
        marker = next((t for t in instrument.thresholds.all() if t.is_marker), None) if instrument else None
        base.cache["marker"] = marker.min_score if marker else None
    return base.cache["marker"]


RECOVERY_SQL = """SELECT count(*), avg(x.score_change), count(*) FILTER (WHERE x.first_score >= %s),
count(*) FILTER (WHERE x.latest_score >= %s), avg(x.first_score), avg(x.latest_score) FROM ({rows}) x"""


def recovery_counts(base: Base) -> dict:
    """The recovery-capital measures and the chart's means in one query over the same participants
    (``_recovery``; the equality test holds each measure to its ``records``)."""
    if "recovery" not in base.cache:
        marker, instrument = marker_score(base), scheduled_instrument(base)

        def counts() -> tuple:
            rows, params = (_recovery(base).order_by().values("first_score", "latest_score", "score_change")
                            .query.sql_with_params())
            with connection.cursor() as cursor:
                cursor.execute(RECOVERY_SQL.format(rows=rows), [marker, marker, *params])
                return cursor.fetchone()

        # Its SQL is kept per process (recovery.compiled) under every input: the report's, the scheduled
        # instrument (a record: by value) and the marker score.
        key = ("reports.recovery", *base.key(), instrument and record_key(instrument), marker)
        n, change, first_at, latest_at, first, latest = compiled_row(key, counts)
        base.cache["recovery"] = {
            "rc_two": n, "rc_change": None if change is None else Decimal(str(change)),
            "rc_first_at_marker": first_at if marker is not None else 0,
            "rc_latest_at_marker": latest_at if marker is not None else 0,
            "first": None if first is None else float(first), "latest": None if latest is None else float(latest)}
    return base.cache["recovery"]


@measure("rc_two", "recovery", _("Participants with two or more check-ins"), shared=(recovery_counts, "rc_two"),
         counted=_("Participants with at least two scored check-ins of the program's scheduled instrument up to the "
                   "period's end, the latest of them taken in the period."))
def rc_two(base: Base):
    return _recovery(base)


@measure("rc_change", "recovery", _("Mean change, first to latest check-in"), kind=MEAN, field="score_change",
         headline=True, unit=_("points"), shared=(recovery_counts, "rc_change"),
         counted=_("The same participants: the mean of (latest score - first score)."))
def rc_change(base: Base):
    return _recovery(base)


@measure("rc_first_at_marker", "recovery", _("At or above the marker at their first check-in"), of="rc_two",
         shared=(recovery_counts, "rc_first_at_marker"),
         counted=_("The same participants whose first score reached the instrument's marked threshold (BARC-10: 47)."))
def rc_first_at_marker(base: Base):
    marker = marker_score(base)
    return _recovery(base).filter(first_score__gte=marker) if marker is not None else _recovery(base).none()


@measure("rc_latest_at_marker", "recovery", _("At or above the marker at their latest check-in"), of="rc_two",
         shared=(recovery_counts, "rc_latest_at_marker"),
         counted=_("The same participants whose latest score reached the marked threshold."))
def rc_latest_at_marker(base: Base):
    marker = marker_score(base)
    return _recovery(base).filter(latest_score__gte=marker) if marker is not None else _recovery(base).none()


# --- GPRA (outcomes.gpra computes the windows) ---------------------------------------------------------

def _windows(base: Base) -> list:
    if "gpra_windows" not in base.cache:
        base.cache["gpra_windows"] = _settled_windows(base)
    return base.cache["gpra_windows"]


def _settled_windows(base: Base) -> list:
    settings = outcome_settings(base)
    earliest = add_months(base.period.start, -settings.followup_closes_months - 1)
    clients = base.clients().filter(gpra_interviews__kind=Interview.Kind.INTAKE,
                                    gpra_interviews__held_on__gte=earliest)
    found = gpra.windows(base.program, settings, base.as_of, clients)

    def settled_on(w):
        return w.followup.held_on if w.followup else w.closes_on - datetime.timedelta(days=1)

    return [w for w in found if w.counts_as_due and base.period.start <= settled_on(w) <= base.period.end]


@measure("gpra_due", "gpra", _("Follow-up interviews due"), listed=True,
         counted=_("Participants whose GPRA follow-up was settled in the period: a follow-up interview recorded in "
                   "the period, or the window's last day in the period with none recorded (outcomes.gpra: the rate's "
                   "denominator)."))
def gpra_due(base: Base):
    return _windows(base)


@measure("gpra_completed", "gpra", _("Completed in the window (follow-up rate)"), of="gpra_due", headline=True,
         listed=True,
         counted=_("Of those, the follow-up interviews completed inside the window."))
def gpra_completed(base: Base):
    return [w for w in _windows(base) if w.state == gpra.COMPLETED]


# --- Supervision -------------------------------------------------------------------------------------

@measure("supervision_hours", "supervision", _("Supervision hours, per peer"), kind=MINUTES,
         field="session__duration_minutes", group="membership__user__full_name", unit=_("hours"),
         counted=_("Minutes of signed supervision sessions held in the period, counted for each peer specialist in "
                   "scope who attended (a group session counts in full for every supervisee), shown as hours."))
def supervision_hours(base: Base):
    return Attendance.objects.filter(base.in_period("session__held_on"), session__program=base.program,
                                     session__signed_at__isnull=False, membership__in=base.staff())


# --- Crisis flags ------------------------------------------------------------------------------------

@measure("crisis", "safety", _("Notes with a crisis flag"), headline=True, cube=(flagged, "notes"),
         counted=_("Signed notes dated in the period with the crisis flag set."))
def crisis(base: Base):
    return base.notes().filter(crisis_flag=True)


__all__ = ["MEASURES", "SECTIONS", "Measure", "by_key", "display", "measure", "percent"]

from reports import measures_referrals  # noqa: E402, F401, I001  (registers the referral measures)
from reports import measures_billing  # noqa: E402, F401  (registers the billing measures)

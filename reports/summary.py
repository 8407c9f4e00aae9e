"""Keeping ``reports.models.NoteMonth`` (the monthly summary of signed notes) whole.

* ``note_month_add(note=)``: a ``clients.note_events.NOTE_SIGNED`` handler, run inside ``note_sign``'s
  transaction: the just-signed note is added to its row (created if it is the first of its kind), so the
  summary commits or rolls back with the signature. Two signatures of the same kind at once meet in the
  row's unique key (``ON CONFLICT``), never in two rows.
* ``note_months_rebuild(program_ids=None)``: the rows of those programs' participants (every program's:
  None) written again from their signed notes in one statement: the data migration, ``seed_scale`` and
  the demo data, which write signed notes in bulk.

Addenda change no count, and a signed note never changes or goes away, so nothing else writes here.

The same way, ``reports.models.ContactGap`` (the program's histogram of days between contact days): the
same ``note_month_add`` statement adds a just-signed contact note's day to it when it is the participant's
first contact that day: one more gap from their previous contact day, and, for a late entry falling between
two contact days, the later day's gap split in two (its row goes down by one, the two new gaps up).
``note_sign`` holds the participant's row locked, so two signatures for one participant never interleave.
``contact_gaps_rebuild(program_ids=None)`` writes it from the notes in one statement. And
``reports.models.SignatureDelay`` (the program's histogram of exact times from a session's end to its
signature): the statement adds one to the note's delay; ``signature_delays_rebuild`` writes it from the notes.
``reports.models.ProgramMonth`` (``NoteMonth`` rolled up to the program) is added to by the same statement;
``program_months_rebuild`` writes it. So is ``reports.models.ContactMonth`` (a participant's last contact day
of a month, filed under their program, for the engagement chart; ``contact_months_rebuild``).
``summaries_rebuild`` writes all five.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection

from clients.models import SessionNote

CONTACT_TYPES = [str(t) for t in SessionNote.CONTACT_TYPES]

COLUMNS = ("client_id, month, contact_type, setting, service_code_id, late_entry, crisis_flag, bills, no_units, notes, "
           "minutes, units_computed, units_billable, first_day, last_day")

PROGRAM_COLUMNS = ("program_id, month, contact_type, setting, service_code_id, late_entry, crisis_flag, bills, "
                   "no_units, notes, minutes, units_computed, units_billable")

# One statement for every summary (signing a group of notes stays at one query per note). The gap part
# is empty unless the note is a contact and the participant's first signed contact that day.
ADD_SQL = f"""
WITH month_row AS (
  INSERT INTO reports_notemonth ({COLUMNS})
  VALUES (%(client)s, date_trunc('month', %(day)s::date)::date, %(contact_type)s, %(setting)s, %(code)s, %(late)s,
          %(crisis)s, %(bills)s, %(no_units)s, 1, %(minutes)s, %(computed)s, %(billable)s, %(day)s, %(day)s)
  ON CONFLICT ON CONSTRAINT note_month_unique DO UPDATE SET
    notes = reports_notemonth.notes + 1, minutes = reports_notemonth.minutes + EXCLUDED.minutes,
    units_computed = reports_notemonth.units_computed + EXCLUDED.units_computed,
    units_billable = reports_notemonth.units_billable + EXCLUDED.units_billable,
    first_day = LEAST(reports_notemonth.first_day, EXCLUDED.first_day),
    last_day = GREATEST(reports_notemonth.last_day, EXCLUDED.last_day)
  RETURNING 1),
program_row AS (
  INSERT INTO reports_programmonth ({PROGRAM_COLUMNS})
  SELECT program_id, date_trunc('month', %(day)s::date)::date, %(contact_type)s, %(setting)s, %(code)s, %(late)s,
         %(crisis)s, %(bills)s, %(no_units)s, 1, %(minutes)s, %(computed)s, %(billable)s
  FROM clients_client WHERE id = %(client)s
  ON CONFLICT ON CONSTRAINT program_month_unique DO UPDATE SET
    notes = reports_programmonth.notes + 1, minutes = reports_programmonth.minutes + EXCLUDED.minutes,
    units_computed = reports_programmonth.units_computed + EXCLUDED.units_computed,
    units_billable = reports_programmonth.units_billable + EXCLUDED.units_billable
  RETURNING 1),
contact_month AS (
  INSERT INTO reports_contactmonth (program_id, month, client_id, last_day)
  SELECT program_id, date_trunc('month', %(day)s::date)::date, id, %(day)s FROM clients_client
  WHERE %(contact)s AND id = %(client)s
  ON CONFLICT (program_id, month, client_id) DO UPDATE
    SET last_day = GREATEST(reports_contactmonth.last_day, EXCLUDED.last_day)
  RETURNING 1),
delay_row AS (
  INSERT INTO reports_signaturedelay (program_id, month, microseconds, notes)
  SELECT program_id, date_trunc('month', %(day)s::date)::date, %(microseconds)s, 1 FROM clients_client
  WHERE id = %(client)s
  ON CONFLICT (program_id, month, microseconds) DO UPDATE SET notes = reports_signaturedelay.notes + 1
  RETURNING 1),
contacts AS (
  SELECT session_date FROM clients_sessionnote
  WHERE %(contact)s AND client_id = %(client)s AND status = 'signed' AND contact_type = ANY(%(contacts)s)),
first_of_day AS (SELECT NOT EXISTS (SELECT 1 FROM clients_sessionnote WHERE client_id = %(client)s
                   AND status = 'signed' AND contact_type = ANY(%(contacts)s) AND session_date = %(day)s
                   AND id <> %(note)s) AS yes),
around AS (SELECT (SELECT max(session_date) FROM contacts WHERE session_date < %(day)s) AS previous,
                  (SELECT min(session_date) FROM contacts WHERE session_date > %(day)s) AS next),
raw (day, previous, n) AS (
  SELECT %(day)s::date, previous, 1 FROM around
  UNION ALL SELECT next, previous, -1 FROM around
  UNION ALL SELECT next, %(day)s::date, 1 FROM around),
deltas AS (
  SELECT c.program_id, date_trunc('month', r.day)::date AS month, date_trunc('month', r.previous)::date AS since,
         r.day - r.previous AS days, sum(r.n) AS n
  FROM raw r, first_of_day f, clients_client c
  WHERE %(contact)s AND f.yes AND c.id = %(client)s AND r.day IS NOT NULL AND r.previous IS NOT NULL
  GROUP BY 1, 2, 3, 4),
added AS (
  INSERT INTO reports_contactgap (program_id, month, since, days, contacts)
  SELECT program_id, month, since, days, n FROM deltas WHERE n > 0
  ON CONFLICT (program_id, month, since, days) DO UPDATE SET contacts = reports_contactgap.contacts + EXCLUDED.contacts
  RETURNING 1),
emptied AS (
  DELETE FROM reports_contactgap g USING deltas d
  WHERE d.n < 0 AND (g.program_id, g.month, g.since, g.days) = (d.program_id, d.month, d.since, d.days)
    AND g.contacts + d.n <= 0
  RETURNING 1)
UPDATE reports_contactgap g SET contacts = g.contacts + d.n FROM deltas d
WHERE d.n < 0 AND (g.program_id, g.month, g.since, g.days) = (d.program_id, d.month, d.since, d.days)
  AND g.contacts + d.n > 0
"""  # noqa: S608  (constant text)

REBUILD_SQL = f"""
INSERT INTO reports_notemonth ({COLUMNS})
SELECT client_id, date_trunc('month', session_date)::date, contact_type, setting, service_code_id, late_entry,
       crisis_flag, COALESCE(units_billable, 0) > 0, COALESCE(units_computed, 0) = 0, count(*), sum(duration_minutes),
       sum(COALESCE(units_computed, 0)), sum(COALESCE(units_billable, 0)), min(session_date), max(session_date)
FROM clients_sessionnote n
WHERE status = 'signed' {{where}}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""  # noqa: S608  (constant text)

# A signed note's time from the session's end to its signature, exactly (``note_month_add`` takes the same
# difference in Python).
MICROSECONDS = "(extract(epoch FROM n.signed_at - n.ended_at) * 1000000)::bigint"

PROGRAM_REBUILD_SQL = f"""
INSERT INTO reports_programmonth ({PROGRAM_COLUMNS})
SELECT c.program_id, date_trunc('month', n.session_date)::date, n.contact_type, n.setting, n.service_code_id,
       n.late_entry, n.crisis_flag, COALESCE(n.units_billable, 0) > 0, COALESCE(n.units_computed, 0) = 0, count(*),
       sum(n.duration_minutes), sum(COALESCE(n.units_computed, 0)), sum(COALESCE(n.units_billable, 0))
FROM clients_sessionnote n JOIN clients_client c ON c.id = n.client_id
WHERE n.status = 'signed' {{where}}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""  # noqa: S608  (constant text)

CONTACT_MONTHS_REBUILD_SQL = """
INSERT INTO reports_contactmonth (program_id, month, client_id, last_day)
SELECT c.program_id, date_trunc('month', n.session_date)::date, n.client_id, max(n.session_date)
FROM clients_sessionnote n JOIN clients_client c ON c.id = n.client_id
WHERE n.status = 'signed' AND n.contact_type = ANY(%s) {where}
GROUP BY 1, 2, 3
"""

IN_PROGRAMS = "AND client_id IN (SELECT id FROM clients_client WHERE program_id = ANY(%s))"

# Each participant's contact days, each with the previous one (the same window the measure's drill-down
# runs over a period's notes), counted per program, month, previous month and gap.
GAPS_REBUILD_SQL = """
INSERT INTO reports_contactgap (program_id, month, since, days, contacts)
SELECT c.program_id, date_trunc('month', g.day)::date, date_trunc('month', g.previous)::date, g.day - g.previous,
       count(*)
FROM (SELECT client_id, day, lag(day) OVER (PARTITION BY client_id ORDER BY day) AS previous
      FROM (SELECT DISTINCT client_id, session_date AS day FROM clients_sessionnote
            WHERE status = 'signed' AND contact_type = ANY(%s) {where}) days) g
JOIN clients_client c ON c.id = g.client_id
WHERE g.previous IS NOT NULL
GROUP BY 1, 2, 3, 4
"""


DELAYS_REBUILD_SQL = """
INSERT INTO reports_signaturedelay (program_id, month, microseconds, notes)
SELECT c.program_id, date_trunc('month', n.session_date)::date, """ + MICROSECONDS + """, count(*)
FROM clients_sessionnote n JOIN clients_client c ON c.id = n.client_id
WHERE n.status = 'signed' {where}
GROUP BY 1, 2, 3
"""


def note_month_add(*, note) -> None:
    """Add the just-signed ``note`` to its monthly summary row, and a contact's day to the program's contact
    gaps (``NOTE_SIGNED`` handler; one statement)."""
    billable = note.units_billable or 0
    with connection.cursor() as cursor:
        cursor.execute(ADD_SQL, {
            "note": note.pk, "client": note.client_id, "day": note.session_date, "contact_type": note.contact_type,
            "setting": note.setting, "code": note.service_code_id, "late": note.late_entry,
            "crisis": note.crisis_flag, "bills": billable > 0, "no_units": not note.units_computed,
            "minutes": note.duration_minutes, "computed": note.units_computed or 0, "billable": billable,
            "contact": note.contact_type in CONTACT_TYPES, "contacts": CONTACT_TYPES,
            "microseconds": (note.signed_at - note.ended_at) // datetime.timedelta(microseconds=1)})


def _rebuild(table: str, sql: str, program_ids: Iterable[int] | None, params: list | None = None, *,
             of_clients: bool = False) -> int:
    """Delete ``table``'s rows of these programs (None: all; ``of_clients``: rows keyed by participant) and
    write them again with ``sql`` (its ``{where}`` cuts the notes to the programs); returns the rows."""
    params = params or []
    with connection.cursor() as cursor:
        if program_ids is None:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (our table names)
            cursor.execute(sql.format(where=""), params)
        else:
            ids = list(program_ids)
            mine = IN_PROGRAMS.removeprefix("AND ") if of_clients else "program_id = ANY(%s)"
            cursor.execute(f"DELETE FROM {table} WHERE {mine}", [ids])  # noqa: S608  (our constants)
            cursor.execute(sql.format(where=IN_PROGRAMS), [*params, ids])
        return cursor.rowcount


def note_months_rebuild(program_ids: Iterable[int] | None = None) -> int:
    """Write the summary rows of these programs' participants (None: all) again from their signed notes;
    returns how many rows there are now."""
    return _rebuild("reports_notemonth", REBUILD_SQL, program_ids, of_clients=True)


def program_months_rebuild(program_ids: Iterable[int] | None = None) -> int:
    """Write these programs' (None: every program's) monthly roll-up again from their signed notes."""
    return _rebuild("reports_programmonth", PROGRAM_REBUILD_SQL, program_ids)


def contact_months_rebuild(program_ids: Iterable[int] | None = None) -> int:
    """Write these programs' (None: every program's) participants' last contact per month again."""
    return _rebuild("reports_contactmonth", CONTACT_MONTHS_REBUILD_SQL, program_ids, [CONTACT_TYPES])


def contact_gaps_rebuild(program_ids: Iterable[int] | None = None) -> int:
    """Write these programs' (None: every program's) contact gaps again from their signed notes."""
    return _rebuild("reports_contactgap", GAPS_REBUILD_SQL, program_ids, [CONTACT_TYPES])


def signature_delays_rebuild(program_ids: Iterable[int] | None = None) -> int:
    """Write these programs' (None: every program's) signature delays again from their signed notes."""
    return _rebuild("reports_signaturedelay", DELAYS_REBUILD_SQL, program_ids)


def summaries_rebuild(program_ids: Iterable[int] | None = None) -> int:
    """Every reports summary of these programs (None: all) written again from the notes; returns the rows."""
    ids = None if program_ids is None else list(program_ids)
    return sum(rebuild(ids) for rebuild in (note_months_rebuild, program_months_rebuild, contact_months_rebuild,
                                            contact_gaps_rebuild, signature_delays_rebuild))


def summaries_rebuild_for_merge(*, kept) -> int:
    """A ``clients.note_events.RECORDS_MERGED`` handler: another record's signed notes moved to ``kept``, so its
    program's summaries are written again (inside the merge's transaction)."""
    return summaries_rebuild([kept.program_id])


def demo_seed(ctx) -> None:
    """The demo program's summaries, from the notes the seeders before this one signed in bulk."""
    summaries_rebuild([ctx.program.pk])

"""Keeping ``reports.models.NoteMonth`` (the monthly summary of signed notes) whole.

* ``note_month_add(note=)``: a ``clients.note_events.NOTE_SIGNED`` handler, run inside ``note_sign``'s
  transaction: the just-signed note is added to its row (created if it is the first of its kind), so the
  summary commits or rolls back with the signature. Two signatures of the same kind at once meet in the
  row's unique key (``ON CONFLICT``), never in two rows.
* ``note_months_rebuild(program_ids=None)``: the rows of those programs' participants (every program's:
  None) written again from their signed notes in one statement: the data migration, ``seed_scale`` and
  the demo data, which write signed notes in bulk.

Addenda change no count, and a signed note never changes or goes away, so nothing else writes here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

COLUMNS = ("client_id, month, contact_type, setting, service_code_id, late_entry, crisis_flag, bills, no_units, notes, "
           "minutes, units_computed, units_billable, first_day, last_day")

ADD_SQL = f"""
INSERT INTO reports_notemonth ({COLUMNS})
VALUES (%s, date_trunc('month', %s::date)::date, %s, %s, %s, %s, %s, %s, %s, 1, %s, %s, %s, %s, %s)
ON CONFLICT ON CONSTRAINT note_month_unique DO UPDATE SET
  notes = reports_notemonth.notes + 1, minutes = reports_notemonth.minutes + EXCLUDED.minutes,
  units_computed = reports_notemonth.units_computed + EXCLUDED.units_computed,
  units_billable = reports_notemonth.units_billable + EXCLUDED.units_billable,
  first_day = LEAST(reports_notemonth.first_day, EXCLUDED.first_day),
  last_day = GREATEST(reports_notemonth.last_day, EXCLUDED.last_day)
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

IN_PROGRAMS = "AND client_id IN (SELECT id FROM clients_client WHERE program_id = ANY(%s))"


def note_month_add(*, note) -> None:
    """Add the just-signed ``note`` to its monthly summary row (``NOTE_SIGNED`` handler)."""
    billable = note.units_billable or 0
    with connection.cursor() as cursor:
        cursor.execute(ADD_SQL, [note.client_id, note.session_date, note.contact_type, note.setting,
                                 note.service_code_id, note.late_entry, note.crisis_flag, billable > 0,
                                 not note.units_computed,
                                 note.duration_minutes, note.units_computed or 0, billable, note.session_date,
                                 note.session_date])


def note_months_rebuild(program_ids: Iterable[int] | None = None) -> int:
    """Write the summary rows of these programs' participants (None: all) again from their signed notes;
    returns how many rows there are now."""
    with connection.cursor() as cursor:
        if program_ids is None:
            cursor.execute("DELETE FROM reports_notemonth")
            cursor.execute(REBUILD_SQL.format(where=""))
        else:
            ids = list(program_ids)
            cursor.execute(f"DELETE FROM reports_notemonth WHERE {IN_PROGRAMS.removeprefix('AND ')}", [ids])  # noqa: S608
            cursor.execute(REBUILD_SQL.format(where=IN_PROGRAMS), [ids])
        return cursor.rowcount



def demo_seed(ctx) -> None:
    """The demo program's summary, from the notes the seeders before this one signed in bulk."""
    note_months_rebuild([ctx.program.pk])

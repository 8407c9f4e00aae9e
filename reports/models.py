"""The reports' summaries of signed notes: one row per participant, month of service and kind of note
(``NoteMonth``) and its roll-up per program (``ProgramMonth``); a participant's last contact day of each
month, filed under their program (``ContactMonth``); per program, exact histograms of the days
between contact days (``ContactGap``) and of the time from a session's end to its signature
(``SignatureDelay``), which the two medians read.

Signed notes never change (a trigger locks them; corrections are addenda, which change no count), so the
summary only grows: ``reports.summary.note_month_add`` adds each note as it is signed (a
``clients.note_events.NOTE_SIGNED`` handler, inside ``note_sign``'s transaction); ``note_months_rebuild``
writes it from the notes in one statement (the data migration, ``seed_scale``, the demo data).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

KINDS = ["contact_type", "setting", "service_code", "late_entry", "crisis_flag", "bills", "no_units"]


class NoteKindMonth(models.Model):
    """Signed notes with a service date in one month, of one kind (type of contact, setting, service code,
    late entry, crisis flag, whether it bills a unit, whether it is worth one): how many, their minutes and
    units. Whose notes: the concrete summary says (a participant's, a program's)."""

    month = models.DateField()  # the first day of the month of service
    contact_type = models.CharField(max_length=20)
    setting = models.CharField(max_length=20, blank=True)
    service_code = models.ForeignKey("clients.ServiceCode", on_delete=models.PROTECT, null=True, related_name="+")
    late_entry = models.BooleanField()
    crisis_flag = models.BooleanField()
    bills = models.BooleanField()  # units_billable > 0
    no_units = models.BooleanField()  # units_computed = 0: too short for a unit
    notes = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    units_computed = models.PositiveIntegerField()
    units_billable = models.PositiveIntegerField()

    class Meta:
        abstract = True


class NoteMonth(NoteKindMonth):
    """Signed notes of one participant with a service date in one month, of one kind (``NoteKindMonth``),
    and the first and last service day among them."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "month", *KINDS], name="note_month_unique", nulls_distinct=False),
        ]
        indexes = [
            # A period's full months in scope (the report's cube, participants served): index-only.
            models.Index(fields=["month", "client"], name="note_month_report_idx",
                         include=["contact_type", "setting", "service_code", "late_entry", "crisis_flag", "bills",
                                  "no_units", "notes", "minutes", "units_computed", "units_billable", "last_day"]),
            # A participant's last contact before a day (engagement): the latest month's row, index-only.
            models.Index(fields=["client", "month"], name="note_month_contact_idx", include=["last_day"],
                         condition=Q(contact_type__in=["individual", "group", "phone", "telehealth"])),
        ]

    def __str__(self) -> str:
        return f"Notes of {self.month:%Y-%m}"


class ContactGap(models.Model):
    """The days between a participant's contact days, counted per program: how many of the program's
    participants' days with a signed contact note (individual, group, phone, telehealth; several on one day
    are one) in ``month`` came ``days`` days after the same participant's previous such day, which fell in
    the month ``since``. An exact histogram: the median days between contacts of a period of whole months
    is read from its rows with ``since`` in the period (``reports.measures.contact_gaps``), not from a window
    over every contact note."""

    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the later contact day's month
    since = models.DateField()  # the first day of the previous contact day's month
    days = models.PositiveIntegerField()
    contacts = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Also the reports' index: a program's months, index-only (every column is in it).
            models.UniqueConstraint(fields=["program", "month", "since", "days"], name="contact_gap_unique",
                                    include=["contacts"]),
        ]

    def __str__(self) -> str:
        return f"Contact gaps of {self.month:%Y-%m}"


class SignatureDelay(models.Model):
    """How long after their session ended a program's signed notes with a service date in ``month`` were
    signed, exactly (``signed_at - ended_at`` in microseconds), and how many notes took exactly that long.
    An exact histogram (one row per distinct delay: at most one per note): the median hours to signature of
    a period of whole months is read from its rows (``reports.measures.note_totals``), not from every note."""

    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month of service
    microseconds = models.BigIntegerField()
    notes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Also the reports' index: a program's months, index-only (every column is in it).
            models.UniqueConstraint(fields=["program", "month", "microseconds"], name="signature_delay_unique",
                                    include=["notes"]),
        ]

    def __str__(self) -> str:
        return f"Signature delays of {self.month:%Y-%m}"


class ProgramMonth(NoteKindMonth):
    """``NoteMonth`` rolled up to the program: the signed notes of a program's participants with a service
    date in one month, of one kind (``NoteKindMonth``). A report of the whole program (an admin's, no
    participant filter) reads its period's whole months from here: a few hundred rows, not one per
    participant."""

    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "month", *KINDS], name="program_month_unique",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"Program notes of {self.month:%Y-%m}"


class ContactMonth(models.Model):
    """A participant's last day with a signed contact note (individual, group, phone, telehealth) in one
    month, filed under their program: the engagement chart reads a program's month-end windows from it (one
    narrow index entry per participant and month, ``contact_month_unique``), not from ``NoteMonth``'s rows of
    every kind and program."""

    program = models.ForeignKey("recovery.Program", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month of service
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    last_day = models.DateField()

    class Meta:
        constraints = [
            # Also the chart's index: a program's month, index-only.
            models.UniqueConstraint(fields=["program", "month", "client"], name="contact_month_unique",
                                    include=["last_day"]),
        ]

    def __str__(self) -> str:
        return f"Last contact in {self.month:%Y-%m}"

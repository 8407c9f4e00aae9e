"""Database declarations every app's models share: the public uuid, protection triggers and recurring check
constraints (the participant-scoped queryset is ``recovery.scoping.ParticipantRecordQuerySet``).

Each helper returns exactly what the models used to spell out (same trigger and constraint names, same
conditions), so the migration state does not depend on whether a model uses the helper. Trigger and
constraint names stay with the model: they are what a refused write reports.
"""

from __future__ import annotations

import functools
import operator
import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q

# --- Shared fields.


class UuidModel(models.Model):
    """A model whose rows are named outside the database (URLs, forms, logs) by a random ``uuid``, never by
    the primary key. The field is declared first, as each model used to declare it itself."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class ReferenceItem(models.Model):
    """An item of one program's reference list (recovery.reference): a code that records keep, a name, an
    order, and a flag that retires it (an item in use is retired, never deleted, so old records keep their
    meaning). Subclasses say what "offered" means (``offered_flag``) and name their program-wide unique
    constraints (``unique_per_program``); a list whose code or name is longer declares its own."""

    program = models.ForeignKey("recovery.Program", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


def offered_flag(label, help_text) -> models.BooleanField:
    """A reference item's ``is_active``: offered for new records (``label``, e.g. "offered for new notes"); a
    retired item stays on old ones only (``help_text``). Both are texts people read: pass them marked."""
    return models.BooleanField(label, default=True, help_text=help_text)


def unique_per_program(prefix: str, *fields: str) -> list[models.UniqueConstraint]:
    """One ``<prefix>_<field>_per_program`` unique constraint per field: no two items of a program share it."""
    return [models.UniqueConstraint(fields=["program", field], name=f"{prefix}_{field}_per_program")
            for field in fields]


class CreatedAtModel(models.Model):
    """A record that keeps when it was made."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class CreatedByModel(CreatedAtModel):
    """A record that keeps when it was made and by whom (a staff member; never deleted while it points here)."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


# --- Protection triggers (django-pgtrigger). recovery/dbroles.py also revokes UPDATE and DELETE from the
# runtime role for every unconditional Protect trigger, so these stay pgtrigger.Protect instances.


# The one change a locked row of a participant takes: its participant moved to the record that participant's
# duplicate was merged into (clients.services.merge). Only the participant column changes, and only to the
# record the old participant row names in ``merged_into`` (so only a recorded merge allows it). SQL on OLD and
# NEW; ``{column}`` is a constant of the model's module.
MERGE_MOVE_SQL = """(NEW.{column} IS DISTINCT FROM OLD.{column}
    AND to_jsonb(NEW) - '{column}' = to_jsonb(OLD) - '{column}'
    AND EXISTS (SELECT 1 FROM clients_client merged
                WHERE merged.id = OLD.{column} AND merged.merged_into_id = NEW.{column}))"""


def merge_move(column: str = "client_id") -> str:
    """SQL (on OLD and NEW) true when the row's only change is its participant moved by a recorded merge."""
    return MERGE_MOVE_SQL.format(column=column)


class MovableByMerge(pgtrigger.Protect):
    """A protection trigger whose rows still follow their participant into the record it was merged into
    (``merge_move``): that one change passes, every other change is refused as before."""

    def __init__(self, *, participant_column: str = "client_id", **kwargs):
        self.participant_column = participant_column
        super().__init__(**kwargs)

    def get_func(self, model):
        allowed = f"IF TG_OP = 'UPDATE' AND {merge_move(self.participant_column)} THEN RETURN NEW; END IF;"
        return self.format_sql(allowed) + super().get_func(model)


def _protect(merge_movable: bool, **kwargs) -> pgtrigger.Protect:
    return MovableByMerge(**kwargs) if merge_movable else pgtrigger.Protect(**kwargs)


def never_deleted(name: str) -> pgtrigger.Protect:
    """Rows are kept: no DELETE (a record leaves by a state change, never by deletion)."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Delete)


def append_only(name: str, *, merge_movable: bool = False) -> pgtrigger.Protect:
    """Rows are written once: no UPDATE and no DELETE (``merge_movable``: but see ``MovableByMerge``)."""
    return _protect(merge_movable, name=name, operation=pgtrigger.Update | pgtrigger.Delete)


def unchanged_when(name: str, condition: pgtrigger.Condition, *, merge_movable: bool = False) -> pgtrigger.Protect:
    """No UPDATE of a row whose OLD values meet ``condition`` (a closed, ended or final row)."""
    return _protect(merge_movable, name=name, operation=pgtrigger.Update, condition=condition)


def locked_when(name: str, condition: pgtrigger.Condition, *, merge_movable: bool = False) -> pgtrigger.Protect:
    """No UPDATE and no DELETE of a row whose OLD values meet ``condition`` (a signed record)."""
    return _protect(merge_movable, name=name, operation=pgtrigger.Update | pgtrigger.Delete, condition=condition)


def changed(field: str) -> pgtrigger.Q:
    """A trigger condition: ``field`` differs between OLD and NEW (NULLs compared as values)."""
    return pgtrigger.Q(**{f"old__{field}__df": pgtrigger.F(f"new__{field}")})


def any_changed(fields: list[str]) -> pgtrigger.Q:
    """A trigger condition: one of ``fields`` differs between OLD and NEW (combinable with ``&``, unlike
    ``pgtrigger.AnyChange``)."""
    return functools.reduce(operator.or_, [changed(field) for field in fields])


def before_insert(name: str, func: str, declare: list[tuple[str, str]] | None = None) -> pgtrigger.Trigger:
    """A check run before each INSERT: ``func`` (PL/pgSQL, a constant of the model's module) raises to refuse
    the row and ends with ``RETURN NEW``."""
    return pgtrigger.Trigger(name=name, when=pgtrigger.Before, operation=pgtrigger.Insert, declare=declare, func=func)


def locked_with_parent(name: str, *, variable: str, lookup: str, refuse_if: str, message: str) -> pgtrigger.Trigger:
    """Refuse inserts, updates and deletes of a record's part (an old row and a new one alike) while the
    record it belongs to is locked (a signed note, a closed plan version).

    ``lookup`` reads the record's state from the row variable ``r`` into ``variable`` (TEXT); the row is
    refused when ``refuse_if`` holds, with ``message`` (``%``: the table's name). All three are constants of
    the model's module, never input.
    """
    check = f"""
        {lookup};
        IF {refuse_if} THEN
            RAISE EXCEPTION '{message}', TG_TABLE_NAME
                USING ERRCODE = 'check_violation';
        END IF;
    """
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[(variable, "TEXT"), ("r", "RECORD")],
        func=f"""
            IF TG_OP IN ('UPDATE', 'DELETE') THEN r := OLD; {check} END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN r := NEW; {check} RETURN NEW; END IF;
            RETURN OLD;
        """,
    )


# --- Recurring check constraints.


def not_blank(field: str, *, name: str) -> models.CheckConstraint:
    """A text column is never empty."""
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)


def required_unless(field: str, exempt: Q, *, name: str) -> models.CheckConstraint:
    """A text column is filled in, except on rows that meet ``exempt`` ("the detail of 'other'")."""
    return models.CheckConstraint(condition=exempt | ~Q(**{field: ""}), name=name)


def not_before(field: str, start: str, *, name: str) -> models.CheckConstraint:
    """A date or time column is empty, or not earlier than ``start`` (an end after its start)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": F(start)}),
                                  name=name)


def set_together(*fields: str, name: str) -> models.CheckConstraint:
    """The columns are all empty or all set ("done" has a when and a who)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__isnull": True for field in fields})
                                  | Q(**{f"{field}__isnull": False for field in fields}), name=name)


# --- Query helpers.


class _EqualsAny(models.Func):
    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


def id_in(ids, field: str = "pk") -> models.Func:
    """A filter ``field = ANY(ids)``: the ids as one array parameter. ``field__in=ids`` sends one parameter
    per id, which Django and psycopg prepare one by one (a sweep's batches of 1,000 ids paid for that)."""
    from django.contrib.postgres.fields import ArrayField

    return _EqualsAny(F(field), models.Value(list(ids), output_field=ArrayField(models.BigIntegerField())))

"""A program's reference data: what each app copies into a new program, and the lists its admins edit.

Recovery imports no app, so the apps fill these registries in their ``AppConfig.ready()``:

- ``PROGRAM_DEFAULTS``: functions ``(program) -> None`` that copy an app's default reference data into a
  program, adding only what it lacks (idempotent). ``program_reference_defaults(program)`` runs them all:
  ``createprogram``, the demo seeder and the tests' program factory call it.
- ``REFERENCE_LISTS``: the lists a program admin edits on the "Reference lists" pages
  (recovery.views.reference), one ``ReferenceList`` each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

PROGRAM_DEFAULTS: list[Callable] = []


@transaction.atomic
def program_reference_defaults(program) -> None:
    """Copy every app's default reference data into ``program`` (what it already has stays as it is)."""
    for copy_defaults in PROGRAM_DEFAULTS:
        copy_defaults(program)


def missing_created(model, key: str | tuple[str, ...], rows: list[dict], **scope) -> None:
    """Create those of ``rows`` (field values, ``scope`` added) whose ``key`` (a field, or several) no row of
    ``model`` within ``scope`` has yet: one query reads what exists, one inserts the rest, whatever the
    number of rows. ``model`` may be a migration's. A row another process inserts meanwhile wins (the
    unique constraints make the insert skip it), as does a row an admin edited: nothing is overwritten."""
    keys = (key,) if isinstance(key, str) else key
    have = set(model.objects.filter(**scope).values_list(*keys))
    model.objects.bulk_create([model(**scope, **row) for row in rows if tuple(row[k] for k in keys) not in have],
                              ignore_conflicts=True)


@dataclass(frozen=True)
class ReferenceList:
    """One list of a program's reference data, as its admins edit it.

    ``model`` has ``program``, ``code``, ``is_active`` (offered for new records) and ``position``;
    ``form`` is a ModelForm of it without ``program``; ``columns`` are the field names shown in the table;
    ``in_use(item)`` says whether any record uses it (then its code is fixed: old records keep their meaning).
    """

    slug: str
    title: str
    help: str
    model: type
    form: type
    columns: tuple[str, ...]
    in_use: Callable


REFERENCE_LISTS: dict[str, ReferenceList] = {}


def reference_list_add(item: ReferenceList) -> None:
    REFERENCE_LISTS[item.slug] = item


def in_use_by(*lookups: tuple[type, str]) -> Callable:
    """``in_use`` for a ReferenceList: some row of one of ``(model, field)`` points at the item."""
    def in_use(item) -> bool:
        return any(model.objects.filter(**{field: item}).exists() for model, field in lookups)
    return in_use

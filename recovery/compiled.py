"""``compiled_list``: a queryset's rows, its SQL built and compiled once per process for each key.

Building a scoped queryset (``visible_to``, annotations, subqueries) and compiling it to SQL cost more
CPU than PostgreSQL takes to answer it: on My day at full scale, ~75 % of the sections' time. A page that
asks the same question again (the same user, scope, program, day, settings) gets the same SQL and
parameters, so those are kept here (at most ``COMPILED_MAX``, the least recently used dropped first),
with what Django needs to turn rows into objects (the compiler's select list); the query still runs on
every request, so the rows are always current.

The key is the whole contract: it must hold every input the SQL and its parameters depend on (the
user, ``recovery.scoping.scope_key`` for what they may see now, the program's settings, the day, the
filters). ``build`` must read nothing else. Records read from the database to build the query (a
setting, an instrument) go into the key by value, so a changed one is a new key, never stale SQL.

An input that changes on every request (the current time), or that names one record among many (the user,
the participant: ``ID_STAND_IN``), is not in the key: ``build`` writes a fixed
stand-in for it instead, and ``values`` maps each stand-in to this request's value, put in the kept
parameters on every call (a stand-in missing from the compiled parameters is an error, never ignored).

``compiled_value`` and ``compiled_row`` do the same for a query answering one value or one row (a count,
a sum, an aggregate written as SQL): the statement the first call sent is kept and sent again.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone

COMPILED_MAX = 512

# A row id no row has, for ``build`` to write where the SQL names one record (a user, a participant) that
# ``values`` then replaces on every call: one kept query for all records, not one per record (per-record
# keys would fill the LRU with one entry per user or participant and push the pages' queries out). Only
# for a query with no other integer parameter equal to it.
ID_STAND_IN = -987_654_321
# The current time, for ``build`` to write where the SQL compares with now (a grant's end, a late-draft
# cutoff); ``values`` puts each call's time (or the value computed from it) in its place.
NOW_STAND_IN = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet  # the built queryset (never evaluated; its query is only read)
    sql: str
    params: tuple
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool


class _CompiledQuery:
    """Stands in for the built query while Django's iterable reads the rows: hands out a compiler that
    already knows its SQL and select list; everything else is the built query's."""

    def __init__(self, compiled: _Compiled, params: tuple):
        self._compiled, self._params = compiled, params

    def __getattr__(self, name: str):
        return getattr(self._compiled.queryset.query, name)

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        c = self._compiled
        compiler = c.queryset.query.get_compiler(using=using, connection=connection, elide_empty=elide_empty)
        compiler.select, compiler.klass_info, compiler.annotation_col_map = c.select, c.klass_info, c.annotation_col_map
        compiler.col_count, compiler.has_extra_select = c.col_count, c.has_extra_select
        compiler.as_sql = lambda *args, **kwargs: (c.sql, self._params)
        return compiler


_COMPILED: OrderedDict[tuple, Any] = OrderedDict()
_LOCK = threading.Lock()


def _compile(queryset: QuerySet) -> _Compiled | None:
    if queryset._prefetch_related_lookups:
        raise ValueError("compiled_list reads one query: no prefetch_related")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None  # it can find nothing (an empty scope)
    return _Compiled(queryset, sql, tuple(params), compiler.select, compiler.klass_info,
                     compiler.annotation_col_map, compiler.col_count, compiler.has_extra_select)


def _is(param, stand_in) -> bool:
    return type(param) is type(stand_in) and param == stand_in


def _put(params: tuple, values: dict) -> tuple:
    """``params`` with each stand-in (a key of ``values``) replaced by its value."""
    return tuple(next((v for stand_in, v in values.items() if _is(p, stand_in)), p) for p in params)


def compiled_list(key: tuple, build: Callable[[], QuerySet], values: dict | None = None) -> list:
    """``list(build())``, with ``build`` called and its SQL compiled only the first time ``key`` is seen
    (see the module's docstring for what ``key`` must hold, and for ``values``: {stand-in: this call's
    value} for the parameters that change on every call)."""
    # Date truncations compile to the active time zone: part of every key.
    key = (*key, timezone.get_current_timezone_name())
    with _LOCK:
        found = key in _COMPILED
        compiled = _COMPILED.get(key)
        if found:
            _COMPILED.move_to_end(key)
    if not found:
        compiled = _compile(build())
        with _LOCK:
            _COMPILED[key] = compiled
            while len(_COMPILED) > COMPILED_MAX:
                _COMPILED.popitem(last=False)
    if compiled is None:
        return []
    params = compiled.params
    if values:
        for stand_in in values:
            if not any(_is(p, stand_in) for p in params):
                raise ValueError(f"compiled_list: no parameter {stand_in!r} to replace")
        params = _put(params, values)
    built = compiled.queryset
    rows = QuerySet(model=built.model, query=_CompiledQuery(compiled, params), using=built.db)
    rows._iterable_class, rows._fields = built._iterable_class, built._fields
    return list(rows._iterable_class(rows))


@dataclass(frozen=True)
class _Statement:
    sql: str | None  # None: Django answered without a query (it can find nothing)
    params: tuple
    value: Any  # the answer when no query ran


def compiled_value(key: tuple, build: Callable[[], Any]) -> Any:
    """The one value a query answers (``build`` returns it, e.g. ``lambda: queryset.count()``), with the
    queryset built and compiled only the first time ``key`` is seen: that first call runs ``build`` and
    keeps the statement it sent; later calls send that statement again and read its first column (so
    ``build`` must answer with one query whose value needs no conversion, like a count or an integer sum;
    if it ran more than one, nothing is kept). The key holds every input, as for ``compiled_list``."""
    return _answer(("value", *key), build, lambda row: row[0])


def compiled_row(key: tuple, build: Callable[[], tuple]) -> tuple:
    """As ``compiled_value``, for a query answering one row: ``build`` returns it as a tuple (e.g. a raw
    statement's ``cursor.fetchone()``), later calls the same row of the kept statement, run again."""
    return _answer(("row", *key), build, tuple)


def _answer(key: tuple, build: Callable[[], Any], read: Callable[[tuple], Any]) -> Any:
    key = (*key, timezone.get_current_timezone_name())
    with _LOCK:
        statement = _COMPILED.get(key)
        if statement is not None:
            _COMPILED.move_to_end(key)
    if statement is None:
        sent = []

        def capture(execute, sql, params, many, context):
            sent.append((sql, params))
            return execute(sql, params, many, context)

        with connections[DEFAULT_DB_ALIAS].execute_wrapper(capture):
            value = build()
        if len(sent) > 1:
            return value  # not one query (it read something else first): nothing kept
        sql, params = sent[0] if sent else (None, ())
        with _LOCK:
            _COMPILED[key] = _Statement(sql, tuple(params or ()), value)
            while len(_COMPILED) > COMPILED_MAX:
                _COMPILED.popitem(last=False)
        return value
    if statement.sql is None:
        return statement.value
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        return read(cursor.fetchone())


def compiled_clear() -> None:
    """Forget every compiled query (tests)."""
    with _LOCK:
        _COMPILED.clear()


def record_key(record) -> tuple:
    """A record's column values as a hashable key part (a program's settings: any change is a new key)."""
    return (type(record).__name__, *(_hashable(getattr(record, f.attname)) for f in record._meta.concrete_fields))


def _hashable(value):
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value

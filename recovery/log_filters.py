"""Logging filters that keep participant data out of the logs (PRODUCT.md: logs carry no participant names).

Django logs each failed variable lookup in a template at DEBUG, with the exception attached; that
exception's message is the repr of the whole template context, form values included (a participant's
name and date of birth on the intake form). ``TemplateContextRedactor`` keeps the record (which
variable, in which template) and drops the exception, so turning on DEBUG logging to chase a problem
never writes participant data. Installed on the ``django.template`` logger in settings.LOGGING.

``DatabaseErrorRedactor`` (below) sits on every handler, so every logger's records pass it: a database
error is logged without the row values and query parameters PostgreSQL quotes in it.
"""

from __future__ import annotations

import logging
import re


class TemplateContextRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            kind = record.exc_info[0].__name__ if record.exc_info[0] else "exception"
            record.msg = f"{record.msg} [{kind}; template context not logged]"
            record.exc_info = None
            record.exc_text = None
        return True


# --- Database errors ----------------------------------------------------------------------------
# PostgreSQL explains a failed statement with the row's values ("DETAIL: Failing row contains (…, José
# Álvarez, 1990-03-04, …)", "Key (…)=(…) already exists", "invalid input syntax for type date: "…"");
# psycopg puts that text in the exception's message and its ``diag``, Django re-raises it as
# django.db.IntegrityError with the same message, and django.request, Celery and any
# ``logger.exception`` then write it, the formatted traceback of the chained errors included. What is
# safe to keep: the error's class, SQLSTATE, the constraint, table and column names.

DATABASE_DETAILS_NOT_LOGGED = "database error details not logged"
# PostgreSQL's wording when it quotes values, for text that reaches a record without its exception.
_QUOTES_VALUES = re.compile(r"DETAIL:|Failing row contains|\bKey \(.*\)=\(|invalid input syntax", re.IGNORECASE)
# LogRecord's own attributes; anything else on a record came from ``extra=`` and is scrubbed.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class RedactedDatabaseError(Exception):
    """Stands in for a database error in a log record: which error, where, never the values."""


def _is_database_error(exc: BaseException) -> bool:
    from django.db import Error as DjangoDatabaseError

    if isinstance(exc, DjangoDatabaseError):
        return True
    module = getattr(exc, "exc_module", None) or type(exc).__module__  # Celery's unpicklable wrapper
    return module.startswith(("psycopg", "django.db"))


def _chain(exc: BaseException | None) -> list[BaseException]:
    """``exc`` and every exception it was raised from or during (what a traceback would print)."""
    found: list[BaseException] = []
    stack = [exc]
    while stack:
        current = stack.pop()
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        stack += [current.__cause__, current.__context__]
    return found


def database_error_summary(errors: list[BaseException]) -> str:
    """"IntegrityError (SQLSTATE 23514, table clients_client, constraint client_has_a_name): database
    error details not logged" — from the first error of the chain that has PostgreSQL's diagnostics."""
    kind = type(errors[0]).__name__
    diag = next((e.diag for e in errors if getattr(e, "diag", None) is not None), None)
    where = []
    if diag is not None:
        for label, value in (("SQLSTATE", diag.sqlstate), ("table", diag.table_name),
                             ("column", diag.column_name), ("constraint", diag.constraint_name)):
            if value:
                where.append(f"{label} {value}")
    return f"{kind} ({', '.join(where)}): {DATABASE_DETAILS_NOT_LOGGED}" if where else \
        f"{kind}: {DATABASE_DETAILS_NOT_LOGGED}"


def _unsafe_fragments(errors: list[BaseException]) -> list[str]:
    """Texts of ``errors`` that may quote values: their messages, each line of them, their diagnostics."""
    fragments = []
    for error in errors:
        text = str(error)
        fragments += [text, repr(error), *(line.strip() for line in text.splitlines())]
        diag = getattr(error, "diag", None)
        if diag is not None:
            fragments += [diag.message_primary, diag.message_detail, diag.message_hint, diag.context,
                          diag.internal_query]
    return [f for f in fragments if f and len(f) >= 6]


class _Scrubber:
    def __init__(self, errors: list[BaseException], summary: str):
        self.errors, self.summary = errors, summary
        self.fragments = _unsafe_fragments(errors)

    def text(self, value: str) -> str:
        if _QUOTES_VALUES.search(value) or any(fragment in value for fragment in self.fragments):
            return self.summary
        return value

    def value(self, value, depth: int = 0):
        if isinstance(value, BaseException) and any(value is e for e in self.errors):
            return self.summary
        if isinstance(value, str):
            return self.text(value)
        if depth < 3 and isinstance(value, dict):
            return {key: self.value(item, depth + 1) for key, item in value.items()}
        if depth < 3 and isinstance(value, list | tuple):
            return type(value)(self.value(item, depth + 1) for item in value)
        return value


def _errors_of(record: logging.LogRecord) -> list[BaseException]:
    candidates = [record.exc_info[1]] if record.exc_info and record.exc_info[1] is not None else []
    args = record.args.values() if isinstance(record.args, dict) else (record.args or ())
    candidates += [arg for arg in (record.msg, *args) if isinstance(arg, BaseException)]
    errors = [e for exc in candidates for e in _chain(exc)]
    return errors if any(_is_database_error(e) for e in errors) else []


def redact_database_error(record: logging.LogRecord) -> None:
    """Rewrite ``record`` in place so that no value of a database error's row or query remains."""
    if record.name.startswith("django.db.backends") and hasattr(record, "params"):
        # A query log: the SQL is interpolated with its parameters.
        record.msg, record.args = "(%.3f) query; SQL and parameters not logged; alias=%s", (
            getattr(record, "duration", 0) or 0, getattr(record, "alias", ""))
        record.sql = record.params = None
    errors = _errors_of(record)
    summary = database_error_summary([e for e in errors if _is_database_error(e)]) if errors else \
        DATABASE_DETAILS_NOT_LOGGED
    scrub = _Scrubber(errors, summary)
    if errors and record.exc_info:
        record.exc_info = (RedactedDatabaseError, RedactedDatabaseError(summary), record.exc_info[2])
        record.exc_text = None
    elif record.exc_text:
        record.exc_text = scrub.text(record.exc_text)
    if isinstance(record.msg, str):
        record.msg = scrub.text(record.msg)
    elif isinstance(record.msg, BaseException):
        record.msg = scrub.value(record.msg)
    if record.args:
        record.args = scrub.value(record.args)
    for key, value in list(vars(record).items()):
        if key not in _RECORD_ATTRIBUTES:
            setattr(record, key, scrub.value(value))
    if hasattr(record, "message"):  # already formatted by an earlier handler
        record.message = scrub.text(record.getMessage())


class DatabaseErrorRedactor(logging.Filter):
    """On every handler (settings.LOGGING, Celery's own in recovery.celery): database errors are logged
    as their class, SQLSTATE, table and constraint, with a traceback of our frames only."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_database_error(record)
        return True


def redact_handlers(logger: logging.Logger) -> None:
    """Give each handler of ``logger`` the database error filter (handlers made outside settings)."""
    for handler in logger.handlers:
        if not any(isinstance(f, DatabaseErrorRedactor) for f in handler.filters):
            handler.addFilter(DatabaseErrorRedactor())

"""Database errors write no participant data to the logs (security hardening, point 3).

PostgreSQL explains a violated constraint with the whole row ("DETAIL: Failing row contains (…)"): the
name and birth date reached the server log through django.request's record of the 500. Here the
settings' logging configuration is live: every handler's output (the console the server log is made of,
formatted tracebacks included) and every record of every logger are searched.
"""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from celery.utils.log import get_task_logger
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from clients.models import Client
from recovery.celery import app as celery_app
from recovery.log_filters import DATABASE_DETAILS_NOT_LOGGED, DatabaseErrorRedactor
from tests.factories import days
from tests.security import test_no_participant_data_in_logs as journeys
from tests.security.test_no_participant_data_in_logs import leaks, record_text

every_log = journeys.every_log  # the fixture: every logger at DEBUG, captured
FULL_NAME = "Zelda Quintessa Marchbanks"
BIRTH = datetime.date(1983, 7, 19)


def handlers_of_every_logger() -> dict[logging.Handler, str]:
    """Every handler that writes somewhere, and a logger it is on (pytest's own capture left out)."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    found = {}
    for logger in loggers:
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest") or isinstance(handler, logging.NullHandler):
                continue
            found.setdefault(handler, logger.name)
    return found


@pytest.fixture
def server_log():
    """What the configured handlers write (the server's log), captured from their streams."""
    output = io.StringIO()
    swapped = [(h, h.setStream(output)) for h in handlers_of_every_logger() if isinstance(h, logging.StreamHandler)]
    assert swapped, "settings.LOGGING configured no stream handler"
    yield output
    for handler, stream in swapped:
        handler.setStream(stream)


def assert_nothing_leaked(every_log, server_log):
    text = server_log.getvalue()
    assert not leaks(text), text[-3000:]
    found = [f"{r.name}: {hits}" for r in every_log.records if (hits := leaks(record_text(r)))]
    assert not found, found


def violate_a_constraint():
    """Insert a participant row the database refuses (no name key), as a bug in a service might."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM recovery_program LIMIT 1")
        program_id = cursor.fetchone()[0]
    Client.objects.create(program_id=program_id, full_name=FULL_NAME, birth_date=BIRTH, name_key="",
                          search_text="", created_by_id=None)


def test_every_handler_of_every_logger_filters_database_errors():
    handlers = handlers_of_every_logger()
    assert handlers
    unfiltered = {name: h for h, name in handlers.items()
                  if not any(isinstance(f, DatabaseErrorRedactor) for f in h.filters)}
    assert not unfiltered


def test_a_constraint_violated_during_a_request_is_logged_without_the_row(
    login, peer, every_log, server_log, monkeypatch,
):
    # A bug in the name keys: the participant row violates client_has_a_name (PostgreSQL quotes the row).
    monkeypatch.setattr(Client, "set_name_keys", lambda self: None)
    client = login(peer)
    client.raise_request_exception = False
    response = client.post(reverse("clients:intake"), {
        "full_name": FULL_NAME, "birth_date": BIRTH.isoformat(), "started_on": days(0).isoformat(),
        "referral_source": "self", "form_token": "6f1c2d2e-51a8-4c8e-9a51-0c1b7f3e9d10"})
    assert response.status_code == 500
    text = server_log.getvalue()
    assert "Internal Server Error" in text and "Traceback" in text  # the error is logged, and findable
    assert "IntegrityError" in text and "23514" in text and "client_has_a_name" in text
    assert DATABASE_DETAILS_NOT_LOGGED in text and "Failing row" not in text
    assert_nothing_leaked(every_log, server_log)


@pytest.mark.django_db
def test_a_database_error_logged_by_any_logger_in_any_way_carries_no_values(program, every_log, server_log):
    log = logging.getLogger("lantern.anywhere")
    try:
        with transaction.atomic():
            violate_a_constraint()
    except IntegrityError as error:
        assert FULL_NAME in error.__cause__.diag.message_detail  # PostgreSQL quotes the row
        log.exception("Saving failed")
        log.error("Saving failed: %s", error)
        log.error("Saving failed: %r", error.__cause__)
        log.warning(f"Saving failed: {error}")  # what careless code does
        log.error("Saving failed", extra={"detail": error.__cause__.diag.message_detail})
        log.error(error)
    assert len([r for r in every_log.records if r.name == "lantern.anywhere"]) == 6
    assert server_log.getvalue().count(DATABASE_DETAILS_NOT_LOGGED) >= 5  # the extra= one is not printed
    assert_nothing_leaked(every_log, server_log)


@pytest.mark.django_db
def test_a_failed_celery_task_is_logged_without_the_row(program, every_log, server_log):
    @celery_app.task(name="tests.security.violate_a_constraint")
    def failing_task():
        get_task_logger(__name__).info("about to fail")
        with transaction.atomic():
            violate_a_constraint()

    result = failing_task.apply(throw=False)  # Celery's tracer, which logs the failure with the traceback
    assert result.failed()
    assert any(r.name == "celery.app.trace" and r.levelno == logging.ERROR for r in every_log.records)
    assert_nothing_leaked(every_log, server_log)


def test_the_worker_s_own_handlers_get_the_filter():
    """A worker adds a handler to its task logger (not propagating): recovery.celery filters it too."""
    logger = logging.getLogger("celery.task")
    before = list(logger.handlers)
    try:
        celery_app.log.setup_task_loggers(loglevel="INFO")
        added = [h for h in logger.handlers if h not in before]
        assert added and all(any(isinstance(f, DatabaseErrorRedactor) for f in h.filters) for h in added)
    finally:
        logger.handlers = before

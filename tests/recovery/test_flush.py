"""``manage.py flush`` (recovery/management/commands/flush.py), which every transactional test runs after itself:
a little data goes by DELETE with the triggers set aside for that one transaction, more by TRUNCATE; either way
every table is empty after it, and the runtime role's protections hold as before."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from clients.services import notes as note_services
from recovery import dbroles
from recovery.management.commands import flush
from recovery.models import Membership
from tests.factories import (
    AccessLogFactory,
    ClientFactory,
    NoteAddendumFactory,
    ProgramFactory,
    SecurityEventFactory,
    SessionNoteFactory,
    SupervisionSessionFactory,
    make_staff,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not dbroles.owner_credentials(), reason="the flush's owner role (DATABASE_OWNER_URL) is unset"),
]

KEPT = {ContentType._meta.db_table, Permission._meta.db_table}


def protected_rows(program, peer, supervisor) -> None:
    """Rows the database refuses to delete: a signed note with an addendum, a signed supervision session,
    audit rows, change history."""
    client = ClientFactory(program=program, primary_peer=peer)
    note = note_services.note_sign(note=SessionNoteFactory(client=client), by=peer)
    NoteAddendumFactory(note=note, author=peer)
    SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], participants=[client], signed=True)
    AccessLogFactory(program=program, user=peer)
    SecurityEventFactory(program=program, user=peer)


def rows_left() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{table}', count(*) FROM \"{table}\"" for table in tables))
        return {table: count for table, count in cursor.fetchall() if count}


def flushed(**options) -> list[str]:
    """Flush as a transactional test's teardown does; the SQL it sent."""
    options = {"verbosity": 0, "interactive": False, "reset_sequences": False, "allow_cascade": False,
               "inhibit_post_migrate": False, **options}
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", **options)
    return [query["sql"] for query in queries.captured_queries]


def test_a_little_data_is_deleted_triggers_aside_and_the_content_types_stay(program, peer, supervisor):
    protected_rows(program, peer, supervisor)
    content_types = dict(ContentType.objects.values_list("pk", "model"))
    assert len(rows_left()) > 10

    statements = flushed()

    assert not any(sql.lstrip().upper().startswith("TRUNCATE") for sql in statements)
    assert set(rows_left()) == KEPT
    assert dict(ContentType.objects.values_list("pk", "model")) == content_types  # same rows, same ids


def test_the_protections_hold_again_right_after(program, peer, supervisor):
    protected_rows(program, peer, supervisor)
    flushed()

    program = ProgramFactory()
    supervisor = make_staff(program, Membership.Role.SUPERVISOR, email="sam-again@example.org")
    peer = make_staff(program, Membership.Role.PEER, supervisor=supervisor, email="pat-again@example.org")
    note = note_services.note_sign(note=SessionNoteFactory(client=ClientFactory(program=program, primary_peer=peer)),
                                   by=peer)
    for statement in ("DELETE FROM clients_sessionnote WHERE id = %s",
                      "UPDATE clients_sessionnote SET summary = 'rewritten' WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [note.pk])


def test_more_data_than_a_test_writes_is_truncated(program, peer, supervisor, monkeypatch):
    protected_rows(program, peer, supervisor)
    monkeypatch.setattr(flush, "DELETE_AT_MOST_BYTES", 0)

    statements = flushed()

    assert any(sql.lstrip().upper().startswith("TRUNCATE") for sql in statements)
    assert set(rows_left()) <= KEPT  # post_migrate wrote the content types and permissions again


@pytest.mark.parametrize("options", [{"reset_sequences": True}, {"inhibit_post_migrate": True}])
def test_sequences_to_reset_or_no_post_migrate_is_djangos_flush(program, peer, supervisor, options):
    protected_rows(program, peer, supervisor)

    statements = flushed(**options)

    assert options.get("reset_sequences") is not True or any("RESTART IDENTITY" in sql for sql in statements)
    if options.get("inhibit_post_migrate"):
        assert rows_left() == {}  # nothing writes the content types again: they went too
    else:
        assert set(rows_left()) <= KEPT

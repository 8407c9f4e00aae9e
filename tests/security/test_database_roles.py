"""The application's database role cannot get around the triggers that keep the audit trail and signed records.

The tests run as the runtime role (DATABASE_URL; tests/conftest.py), as web, worker and beat do, while the
owner role (DATABASE_OWNER_URL) migrated the test database. Each attack a superuser or table owner could use
— TRUNCATE, DISABLE TRIGGER, session_replication_role, pgtrigger's ignore switch, ALTER/DROP, CREATE —
is sent as raw SQL and must fail. See recovery/dbroles.py.
"""

from __future__ import annotations

import pgtrigger
import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from pghistory.core import event_models

from clients.models import Client, SessionNote
from clients.services import notes as note_services
from recovery import dbroles
from recovery.models import AccessLog, SecurityEvent
from supervision.models import SupervisionSession
from tests.factories import (
    AccessLogFactory,
    ClientFactory,
    SecurityEventFactory,
    SessionNoteFactory,
    SupervisionSessionFactory,
)

pytestmark = pytest.mark.skipif(
    not dbroles.owner_credentials(),
    reason="one database role for everything (DATABASE_OWNER_URL unset): `make test` and .ci/run set both",
)


def protected_tables() -> list[str]:
    """Every table with a pgtrigger trigger (append-only, never deleted, signed-is-final, …)."""
    return sorted({model._meta.db_table for model, _ in pgtrigger.registered()})


def run(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error:
        run(sql, params)
    return str(error.value)


@pytest.fixture
def records(program, peer, supervisor):
    """One row of each kind the database protects: audit rows, change history, signed note and session."""
    client = ClientFactory(program=program, primary_peer=peer)
    note = note_services.note_sign(note=SessionNoteFactory(client=client), by=peer)
    session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], participants=[client],
                                        signed=True)
    return {
        "access": AccessLogFactory(program=program, user=peer),
        "security": SecurityEventFactory(program=program, user=peer),
        "client": client,
        "note": note,
        "session": session,
    }


def test_the_tests_run_as_a_role_that_is_no_superuser_owns_nothing_and_is_not_the_owner(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
                       "FROM pg_roles WHERE rolname = current_user")
        user, *powers = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user")
        owned = cursor.fetchone()[0]
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [dbroles.owner_credentials()["USER"]])
        member_of_owner = cursor.fetchone()[0]
    assert user != dbroles.owner_credentials()["USER"]
    assert powers == [False, False, False, False, False]
    assert owned == 0
    assert member_of_owner is False


def test_no_table_can_be_truncated(records):
    tables = protected_tables()
    assert {AccessLog._meta.db_table, SecurityEvent._meta.db_table, SessionNote._meta.db_table,
            SupervisionSession._meta.db_table, Client._meta.db_table} <= set(tables)
    for table in tables:
        assert "permission denied" in refused(f'TRUNCATE "{table}" CASCADE')
    assert AccessLog.objects.count() == 1 and SupervisionSession.objects.count() == 1


def test_no_trigger_can_be_disabled(db):
    for table in protected_tables():
        assert "must be owner" in refused(f'ALTER TABLE "{table}" DISABLE TRIGGER ALL')
        assert "must be owner" in refused(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')


def test_replication_mode_which_skips_triggers_cannot_be_switched_on(db):
    assert "permission denied" in refused("SET session_replication_role = replica")
    assert "permission denied" in refused("SET LOCAL session_replication_role = replica")
    assert "permission denied" in refused("SELECT set_config('session_replication_role', 'replica', false)")


def test_pgtriggers_ignore_switch_does_nothing_for_the_application(records):
    client, note = records["client"], records["note"]
    with pgtrigger.ignore("clients.Client:client_never_deleted", "clients.SessionNote:note_signed_is_final"):
        with pytest.raises(DatabaseError), transaction.atomic():
            Client.objects.filter(pk=client.pk).delete()
        with pytest.raises(DatabaseError), transaction.atomic():
            SessionNote.objects.filter(pk=note.pk).update(summary="rewritten")
    # The same by hand: every trigger name of the project in the session's ignore list.
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(tgname::text) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_%%'")
        names = cursor.fetchone()[0]
    for statement, params in [
        ("UPDATE clients_sessionnote SET summary = 'rewritten' WHERE id = %s", [note.pk]),
        ("DELETE FROM clients_client WHERE id = %s", [client.pk]),
        ("UPDATE supervision_supervisionsession SET notes = 'rewritten' WHERE id = %s", [records["session"].pk]),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(names) + "}"])
            cursor.execute(statement, params)
    note.refresh_from_db()
    assert note.summary != "rewritten" and Client.objects.filter(pk=client.pk).exists()


def test_the_ignore_function_cannot_be_replaced(db):
    assert "permission denied" in refused(
        "CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME) RETURNS BOOLEAN "
        "AS $$ BEGIN RETURN TRUE; END; $$ LANGUAGE plpgsql"
    )


@pytest.mark.parametrize(("sql", "kind"), [
    ('UPDATE "recovery_accesslog" SET reason = %s WHERE id = %s', "access"),
    ('DELETE FROM "recovery_accesslog" WHERE id = %s', "access"),
    ('UPDATE "recovery_securityevent" SET reason = %s WHERE id = %s', "security"),
    ('DELETE FROM "recovery_securityevent" WHERE id = %s', "security"),
    ("UPDATE clients_sessionnote SET summary = %s WHERE id = %s", "note"),
    ("DELETE FROM clients_sessionnote WHERE id = %s", "note"),
    ("UPDATE supervision_supervisionsession SET notes = %s WHERE id = %s", "session"),
    ("DELETE FROM supervision_supervisionsession WHERE id = %s", "session"),
    ("DELETE FROM clients_client WHERE id = %s", "client"),
])
def test_signed_and_audit_rows_cannot_be_updated_or_deleted(records, sql, kind):
    params = ["edited", records[kind].pk] if sql.startswith("UPDATE") else [records[kind].pk]
    refused(sql, params)


def test_change_history_cannot_be_updated_or_deleted(records):
    tables = [model._meta.db_table for model in event_models()]
    assert set(tables) <= set(dbroles.append_only_tables())
    for table in tables:
        refused(f'UPDATE "{table}" SET pgh_label = %s', ["edited"])
        refused(f'DELETE FROM "{table}"')


@pytest.mark.parametrize("sql", [
    'ALTER TABLE "recovery_accesslog" DROP COLUMN reason',
    'ALTER TABLE "clients_sessionnote" ADD COLUMN sneaky text',
    'DROP TABLE "recovery_securityevent" CASCADE',
    'DROP TRIGGER "pgtrigger_accesslog_append_only_00000" ON "recovery_accesslog"',
    'ALTER TABLE "recovery_accesslog" OWNER TO CURRENT_USER',
    'CREATE TRIGGER sneaky BEFORE UPDATE ON "recovery_accesslog" FOR EACH ROW '
    "EXECUTE FUNCTION suppress_redundant_updates_trigger()",
])
def test_tables_cannot_be_altered_or_dropped(db, sql):
    message = refused(sql)
    assert "must be owner" in message or "permission denied" in message or "does not exist" in message


@pytest.mark.parametrize("sql", [
    "CREATE TABLE public.sneaky (id int)",
    "CREATE FUNCTION public.sneaky() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql",
    "CREATE SCHEMA sneaky",
])
def test_nothing_can_be_created_in_the_database(db, sql):
    assert "permission denied" in refused(sql)


def ignore_switch_honoured(trigger: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"pgtrigger_{trigger}_%"])
        name = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, false)", ["{" + name + "}"])
        cursor.execute("SELECT public._pgtrigger_should_ignore(%s)", [name])
        honoured = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('pgtrigger.ignore', '', false)")
    return honoured


def test_the_owner_keeps_pgtriggers_ignore_switch_for_data_repairs(transactional_db):
    """Only the runtime role loses the switch: the owner (a data repair, a migration) still has it."""
    assert ignore_switch_honoured("client_never_deleted") is False
    with dbroles.as_owner(connection):
        assert ignore_switch_honoured("client_never_deleted") is True
    assert ignore_switch_honoured("client_never_deleted") is False

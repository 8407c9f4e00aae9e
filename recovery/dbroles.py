"""Two PostgreSQL roles: an owner that migrates, and a runtime role that web, worker and beat use.

Why: the database refuses edits of the audit trail and of signed records with triggers
(django-pgtrigger). A superuser or a table owner gets past any trigger (``TRUNCATE``,
``ALTER TABLE … DISABLE TRIGGER``, ``SET session_replication_role = replica``, or pgtrigger's own
``pgtrigger.ignore`` session setting). So the application connects as a role that

- owns nothing and is not a superuser (cannot alter, drop or disable triggers on any table, cannot
  change ``session_replication_role``, cannot create objects in the schema);
- holds only SELECT, INSERT, UPDATE, DELETE on tables and USAGE, SELECT on sequences (no TRUNCATE,
  REFERENCES or TRIGGER), and not even UPDATE or DELETE on the append-only tables;
- cannot use ``pgtrigger.ignore``: every pgtrigger trigger asks one function,
  ``public._pgtrigger_should_ignore``, whether to skip itself; :func:`grant_runtime_privileges`
  replaces it with one that honours the setting only for members of the owner role.

``DATABASE_URL`` is the runtime role's URL, ``DATABASE_OWNER_URL`` the owner's. ``manage.py migrate``
(recovery/management/commands/migrate.py) runs as the owner and then calls
:func:`grant_runtime_privileges`, so grants follow every new table. ``manage.py db_roles`` creates the
two roles on a server (as a superuser), idempotently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pgtrigger
import psycopg
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

# The connection keys an owner URL may change; NAME stays (tests rename the database to test_…).
_CREDENTIAL_KEYS = ("USER", "PASSWORD", "HOST", "PORT")

# Honours pgtrigger.ignore only for members of the owner role (superusers are members of every role).
# Replaces the function every pgtrigger trigger calls, after each migrate (pgtrigger re-creates it).
_IGNORE_GUARD = """
CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$
    DECLARE
        _pgtrigger_ignore TEXT[];
    BEGIN
        IF NOT pg_catalog.pg_has_role(current_user, {owner}, 'MEMBER') THEN
            RETURN FALSE;  -- the runtime role: triggers always run
        END IF;
        BEGIN
            SELECT INTO _pgtrigger_ignore pg_catalog.current_setting('pgtrigger.ignore');
            EXCEPTION WHEN OTHERS THEN
        END;
        RETURN COALESCE(trigger_name = ANY(_pgtrigger_ignore), FALSE);
    END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog;
"""


def libpq_params(database: dict) -> dict[str, str]:
    """The libpq connection parameters of a database's settings (as dj-database-url parses its URL): HOST,
    PORT, USER, PASSWORD and NAME, and the libpq options among OPTIONS. A URL that names its server in its
    query (``postgres://role@/db?host=/socket/dir``, as the embedded server's does) has it there, not in
    HOST; Django's own OPTIONS (``pool``, ``isolation_level``…) are not libpq's and are left out. Empty
    values are left out too, so libpq's defaults apply."""
    keywords = {option.keyword.decode() for option in psycopg.pq.Conninfo.get_defaults()}
    params = {key: str(value) for key, value in (database.get("OPTIONS") or {}).items() if key in keywords}
    for key, name in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"),
                      ("dbname", "NAME")):
        if database.get(name):
            params[key] = str(database[name])
    return {key: value for key, value in params.items() if value != ""}


def owner_credentials() -> dict:
    """The owner's USER/PASSWORD/HOST/PORT from DATABASE_OWNER_URL, or {} (one role for everything)."""
    owner = getattr(settings, "DATABASE_OWNER", None) or {}
    return {key: owner[key] for key in _CREDENTIAL_KEYS if key in owner}


def runtime_role(connection: BaseDatabaseWrapper) -> str:
    """The role the application connects as (DATABASE_URL's user)."""
    return connection.settings_dict.get("_RUNTIME_USER") or connection.settings_dict["USER"]


def use_owner(connection: BaseDatabaseWrapper) -> dict | None:
    """Log ``connection`` in as the owner from now on; return the credentials to go back to (None: no change)."""
    owner = owner_credentials()
    current = {key: connection.settings_dict.get(key) for key in _CREDENTIAL_KEYS}
    if not owner or {**current, **owner} == current:
        return None
    if connection.in_atomic_block:
        raise RuntimeError("cannot switch to the owner role inside a transaction")
    connection.close()
    connection.settings_dict.update(owner, _RUNTIME_USER=current["USER"])
    return current


def use_credentials(connection: BaseDatabaseWrapper, credentials: dict | None) -> None:
    """Undo :func:`use_owner`: log ``connection`` in with ``credentials`` again."""
    if credentials is None:
        return
    connection.close()
    connection.settings_dict.update(credentials)
    connection.settings_dict.pop("_RUNTIME_USER", None)


@contextmanager
def as_owner(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Within the block, ``connection`` is logged in as the owner role (when DATABASE_OWNER_URL is set)."""
    previous = use_owner(connection)
    try:
        yield
    finally:
        use_credentials(connection, previous)


def append_only_tables() -> list[str]:
    """Tables whose rows a trigger protects from every UPDATE and DELETE, whatever the row says."""
    tables = set()
    for model, trigger in pgtrigger.registered():
        if isinstance(trigger, pgtrigger.Protect) and trigger.condition is None:
            operation = str(trigger.operation).upper()
            if "UPDATE" in operation and "DELETE" in operation:
                tables.add(model._meta.db_table)
    return sorted(tables)


def merge_movable_columns() -> list[tuple[str, str]]:
    """(table, participant column) of the append-only tables whose rows still follow their participant into a
    merged record (``recovery.db.MovableByMerge``): the runtime role may UPDATE that one column, and the trigger
    lets only a recorded merge's move through."""
    # Imported here: this module is also used before Django is set up (recovery.embedded), and recovery.db
    # defines models.
    from recovery.db import MovableByMerge

    return sorted({(model._meta.db_table, trigger.participant_column) for model, trigger in pgtrigger.registered()
                   if isinstance(trigger, MovableByMerge) and trigger.condition is None})


def grant_runtime_privileges(connection: BaseDatabaseWrapper) -> None:
    """As the owner: give the runtime role what the application needs, and nothing more. Idempotent."""
    runtime = runtime_role(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
        if runtime == owner:
            return  # one role for everything (DATABASE_OWNER_URL unset): nothing to separate
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), sql.Identifier(runtime)),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(runtime)),
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(sql.Identifier(runtime)),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
                sql.Identifier(runtime)),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(sql.Identifier(runtime)),
            sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(
                sql.Identifier(owner), sql.Identifier(runtime)),
            sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                    "GRANT USAGE, SELECT ON SEQUENCES TO {}").format(sql.Identifier(owner), sql.Identifier(runtime)),
        ]
        existing = _existing_tables(cursor)
        statements += [
            sql.SQL("REVOKE UPDATE, DELETE ON TABLE {} FROM {}").format(sql.Identifier(table), sql.Identifier(runtime))
            for table in append_only_tables() if table in existing
        ]
        statements += [
            sql.SQL("GRANT UPDATE ({}) ON TABLE {} TO {}").format(
                sql.Identifier(column), sql.Identifier(table), sql.Identifier(runtime))
            for table, column in merge_movable_columns() if table in existing
        ]
        statements.append(sql.SQL(_IGNORE_GUARD).format(owner=sql.Literal(owner)))
        for statement in statements:
            cursor.execute(statement)


def _existing_tables(cursor) -> set[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in cursor.fetchall()}


def create_roles_sql(*, owner: str, owner_password: str, runtime: str, runtime_password: str) -> list[sql.Composable]:
    """SQL (for a superuser) that creates or corrects both roles. Neither is a superuser; only the owner may
    create databases (pytest's test database) and is the database's owner."""
    statements: list[sql.Composable] = []
    for role, password, options in [
        (owner, owner_password, "LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"),
        (runtime, runtime_password, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"),
    ]:
        statements.append(sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN "
            "CREATE ROLE {role}; END IF; END $$"
        ).format(name=sql.Literal(role), role=sql.Identifier(role)))
        statements.append(sql.SQL("ALTER ROLE {} " + options).format(sql.Identifier(role)))
        statements.append(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password) if password else sql.SQL("NULL")))
    # The runtime role must not be able to act as the owner (membership would hand it everything).
    statements.append(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner), sql.Identifier(runtime)))
    statements.append(sql.SQL("ALTER ROLE {} SET jit = off").format(sql.Identifier(runtime)))
    return statements


def transfer_ownership_sql(*, owner: str) -> sql.Composable:
    """SQL (for a superuser, in the application's database) that hands every object of schema public to the
    owner: databases made before the roles existed (an older .data/) keep their data."""
    return sql.SQL("""
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
             AND pg_get_userbyid(c.relowner) <> {owner_literal}
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                             AND d.deptype IN ('a', 'i'))
  LOOP EXECUTE format('ALTER TABLE %s OWNER TO %I', r.name, {owner_literal}); END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> {owner_literal}
  LOOP EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.name, {owner_literal}); END LOOP;
END $$""").format(owner_literal=sql.Literal(owner))

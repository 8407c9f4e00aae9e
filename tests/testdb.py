"""One migrated database per test run, copied for each test process (tests/conftest.py, django_db_setup).

Migrating takes far longer than copying: the first test process to get the run's lock migrates a template
database (as Django creates any test database: as the owner role, with the runtime role's grants); every
process, that one included, then gets its own test database as a copy of it (``CREATE DATABASE … TEMPLATE``).
The template is named after the run (pytest-xdist's run id), so a template left by an interrupted run is
never taken for this run's; the run's controller drops it at the end (:func:`template_drop`), and the next
run's builder drops any left over.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

from recovery import dbroles


def template_name(run_id: str) -> str:
    """The run's template: ``test_<database>_template_<run>`` (PostgreSQL keeps 63 bytes of a name)."""
    return f"{template_prefix()}{run_id[:12]}"


def template_prefix() -> str:
    return f"test_{settings.DATABASES['default']['NAME']}_template_"


def new_run_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def server(dbname: str = "postgres") -> Iterator[psycopg.Connection]:
    """An autocommit connection as the owner role (who creates test databases) to ``dbname``, on the server
    Django connects to (however the URL names it: :func:`recovery.dbroles.libpq_params`)."""
    params = dbroles.libpq_params({**settings.DATABASES["default"], **dbroles.owner_credentials()})
    with psycopg.connect(autocommit=True, **{**params, "dbname": dbname}) as conn:
        yield conn


def _exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _drop(conn: psycopg.Connection, name: str) -> None:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_from_template(connection: BaseDatabaseWrapper, run_id: str, verbosity: int = 0, *,
                           reuse: bool = False) -> str:
    """Give ``connection`` (logged in as the owner) its test database, a copy of the run's migrated template
    (built first if no process of the run has built it yet); return the database name to restore after.
    ``reuse`` (pytest-django's --reuse-db): a test database kept from an earlier run is used as it is, after
    any new migrations, as pytest-django does."""
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_name = creation._get_test_db_name()
    template = template_name(run_id)
    with server() as conn:
        if reuse and _exists(conn, test_name):
            creation.create_test_db(verbosity=verbosity, autoclobber=False, keepdb=True)
            return old_name
        _template_ensure(connection, conn, template, verbosity)
        _drop(conn, test_name)
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(test_name),
                                                                        sql.Identifier(template)))
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    return old_name


def _template_ensure(connection: BaseDatabaseWrapper, conn: psycopg.Connection, template: str,
                     verbosity: int) -> None:
    """Build the template unless it exists. One process at a time (a lock held until ``conn`` closes): the
    first builds it, the others wait for it."""
    conn.execute("SELECT pg_advisory_lock(%s)", [zlib.crc32(template_prefix().encode())])
    if not _exists(conn, template):
        _template_build(connection, conn, template, verbosity)


def _template_build(connection: BaseDatabaseWrapper, conn: psycopg.Connection, template: str,
                    verbosity: int) -> None:
    """Migrate a new database under a working name and rename it to ``template`` only once complete, so a
    process killed halfway leaves no template that looks finished."""
    for (name,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                [template_prefix().replace("_", r"\_") + "%"]).fetchall():
        _drop(conn, name)  # left by an interrupted run
    building = f"{template}_new"  # (template_drop knows this name too)
    test_settings = connection.settings_dict["TEST"]
    worker_name = test_settings.get("NAME")
    old_name = connection.settings_dict["NAME"]
    test_settings["NAME"] = building
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, keepdb=False)
    finally:
        test_settings["NAME"] = worker_name
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = old_name
        connection.settings_dict["NAME"] = old_name
    conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building),
                                                                   sql.Identifier(template)))


def template_drop(run_id: str) -> None:
    """Drop the run's template (or what a stopped builder left of it), if any (a run without database tests
    may reach no server)."""
    with suppress(psycopg.OperationalError), server() as conn:
        _drop(conn, template_name(run_id))
        _drop(conn, f"{template_name(run_id)}_new")


def template_build_started(run_id: str) -> subprocess.Popen:
    """Build the run's template in a process of its own (``python -m tests.testdb RUN_ID``), so that the
    migrations run while the test processes start, collect and run the tests without a database; a test
    process that needs its database first waits for the template (the lock), or builds it itself if this
    process failed."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.testdb", run_id], cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def template_build_stopped(process: subprocess.Popen) -> None:
    """End the builder (still running only if the run ended first) before its template is dropped."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


if __name__ == "__main__":
    import django

    django.setup()
    from django.db import connections

    dbroles.use_owner(connections["default"])
    with server() as conn:
        _template_ensure(connections["default"], conn, template_name(sys.argv[1]), verbosity=0)

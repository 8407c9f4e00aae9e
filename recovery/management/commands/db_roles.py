"""Create the owner and runtime roles and the database on a PostgreSQL server; grant the runtime role.

    DATABASE_OWNER_URL=postgres://lantern_owner:…@host/lantern DATABASE_URL=postgres://lantern_app:…@host/lantern \\
        python manage.py db_roles --superuser-url postgres://postgres:…@host/postgres

Idempotent: run it again after changing a password. Without --superuser-url it only applies the grants (as the
owner), which `migrate` also does after every run.
"""

from __future__ import annotations

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from recovery import dbroles


class Command(BaseCommand):
    help = "Create the owner and runtime database roles (with --superuser-url) and grant the runtime role."

    def add_arguments(self, parser):
        parser.add_argument("--superuser-url", help="a superuser's URL on the same server: creates the roles")

    def handle(self, *args, superuser_url: str | None = None, **options):
        runtime = connection.settings_dict
        owner = {**runtime, **dbroles.owner_credentials()}
        if owner["USER"] == runtime["USER"]:
            raise CommandError("Set DATABASE_OWNER_URL (the owner role) and DATABASE_URL (the runtime role).")
        if superuser_url:
            _create_roles_and_database(superuser_url, owner=owner, runtime=runtime)
            self.stdout.write(f"Roles {owner['USER']} (owner) and {runtime['USER']} (runtime) are ready.")
        with dbroles.as_owner(connection):
            dbroles.grant_runtime_privileges(connection)
        self.stdout.write(f"Granted {runtime['USER']} the application's privileges on {runtime['NAME']}.")


def _create_roles_and_database(superuser_url: str, *, owner: dict, runtime: dict) -> None:
    admin = dj_database_url.parse(superuser_url)
    params = {**dbroles.libpq_params(admin), "autocommit": True}
    params.pop("dbname", None)
    name = settings.DATABASES["default"]["NAME"]
    with psycopg.connect(dbname=admin["NAME"] or "postgres", **params) as conn:
        for statement in dbroles.create_roles_sql(owner=owner["USER"], owner_password=owner["PASSWORD"] or "",
                                                  runtime=runtime["USER"], runtime_password=runtime["PASSWORD"] or ""):
            conn.execute(statement)
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name),
                                                                     sql.Identifier(owner["USER"])))
        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(name),
                                                                   sql.Identifier(owner["USER"])))
    with psycopg.connect(dbname=name, **params) as conn:
        conn.execute(dbroles.transfer_ownership_sql(owner=owner["USER"]))

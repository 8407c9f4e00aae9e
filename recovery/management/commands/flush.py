"""``flush``: empty every table, as the owner role (the runtime role may neither TRUNCATE nor set triggers aside).

The test suite's transactional tests (the browser tests' live server among them) flush the test database after
each test through this command, so its speed is the suite's. ``TRUNCATE`` of all tables gives each of them and
each of their indexes new files (here ~140 tables, ~740 indexes: 0.5-1.3 s) even when a test wrote ten rows. So
when the tables hold little (:data:`DELETE_AT_MOST_BYTES`), the tables that have any page are emptied with
``DELETE`` instead, in one transaction, the database's triggers set aside as ``TRUNCATE`` sets them aside
(``pgtrigger.ignore``, honoured for the owner only: recovery/dbroles.py) and the foreign keys checked at commit:
milliseconds. Anything else (more data, sequences to reset, a foreign key that cannot wait for the commit) is
Django's ``TRUNCATE``.

When the post-migrate signal follows (it does unless a caller inhibits it), the content types and permissions
keep their rows: the signal would write the same rows again (at ~0.25 s), only under new ids.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.commands.flush import Command as DjangoFlush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

from recovery import dbroles

# Above this many bytes in the tables to empty, TRUNCATE is quicker than DELETE (and leaves no dead rows).
DELETE_AT_MOST_BYTES = 8 * 1024 * 1024


# Each table: its size on disk, and whether a foreign key of it is checked at once (not only at commit).
_TABLES_READ = """
SELECT c.relname, pg_relation_size(c.oid),
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f' AND NOT k.condeferrable)
  FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)
"""

# Until the transaction ends, every trigger on these tables skips itself for the owner (pgtrigger.ignore).
_TRIGGERS_SET_ASIDE = """
SELECT set_config('pgtrigger.ignore', ARRAY(
         SELECT DISTINCT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)
       )::text, true)
"""


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        with dbroles.as_owner(connection):
            if not options["interactive"] and not options.get("reset_sequences", True):
                post_migrate = not options.get("inhibit_post_migrate", False)
                if emptied_by_delete(connection, keep=post_migrate):
                    if post_migrate:
                        emit_post_migrate_signal(options["verbosity"], False, options["database"])
                    return
            return super().handle(**options)


def emptied_by_delete(connection: BaseDatabaseWrapper, *, keep: bool) -> bool:
    """Empty the application's tables with DELETE if they hold little; False (nothing done) if TRUNCATE should.
    ``keep``: leave the content types and permissions as they are."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if keep:
        tables = [table for table in tables if table not in {ContentType._meta.db_table, Permission._meta.db_table}]
    if not tables:
        return True
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(_TABLES_READ, [tables])
        rows = cursor.fetchall()
        filled = {name: size for name, size, _ in rows if size}
        if sum(filled.values()) > DELETE_AT_MOST_BYTES or any(immediate_keys for _, _, immediate_keys in rows):
            return False
        if not filled:
            return True
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(_TRIGGERS_SET_ASIDE, [tables])
        cursor.execute(sql.SQL("; ").join(sql.SQL("DELETE FROM {}").format(sql.Identifier(table))
                                          for table in sorted(filled)))
    return True

"""``flush`` empties tables with TRUNCATE, which the runtime role may not do: it runs as the owner role.

The test suite's transactional tests flush the test database after each test through this command."""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from recovery import dbroles


class Command(DjangoFlush):
    def handle(self, **options):
        with dbroles.as_owner(connections[options["database"]]):
            return super().handle(**options)

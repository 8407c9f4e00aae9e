"""``migrate`` as the owner role (DATABASE_OWNER_URL), then the runtime role's grants (recovery/dbroles.py)."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from recovery import dbroles


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Runs as the owner role; then grants the runtime role what it needs."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        with dbroles.as_owner(connection):
            super().handle(*args, **options)
            dbroles.grant_runtime_privileges(connection)

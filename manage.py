#!/usr/bin/env python
"""Django's manage.py. With DATABASE_URL / REDIS_URL unset (a developer's machine) it starts the embedded
PostgreSQL and Redis (recovery/embedded.py) for the command, and stops those it started when it ends."""

import importlib
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")
    from recovery import embedded

    extra, started = embedded.environment()
    os.environ.update(extra)
    # recovery.env read the environment when embedded.py imported it: read it again with the servers' URLs.
    importlib.reload(embedded.env)
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    finally:
        embedded.stop(started)


if __name__ == "__main__":
    main()

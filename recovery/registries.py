"""How an app adds its parts to recovery's registries, from its ``AppConfig.ready()`` (ARCHITECTURE.md).

Recovery imports no app: an app above hands recovery plain callables here, in INSTALLED_APPS order.
"""

from __future__ import annotations

from recovery.dashboards import MY_DAY_SECTIONS
from recovery.demo import SEEDERS
from recovery.reference import PROGRAM_DEFAULTS
from recovery.reminders import SWEEPS


def register(*, sweeps=(), seeders=(), my_day=(), program_defaults=()) -> None:
    """Add reminder sweeps (``recovery.reminders.SWEEPS``), demo seeders (``recovery.demo.SEEDERS``, in
    dependency order), My day sections (``recovery.dashboards.MY_DAY_SECTIONS``: (function, template)) and
    a new program's reference-data defaults (``recovery.reference.PROGRAM_DEFAULTS``)."""
    SWEEPS.extend(sweeps)
    SEEDERS.extend(seeders)
    MY_DAY_SECTIONS.extend(my_day)
    PROGRAM_DEFAULTS.extend(program_defaults)

"""How an app adds its parts to recovery's registries, from its ``AppConfig.ready()`` (ARCHITECTURE.md).

Recovery imports no app: an app above hands recovery plain callables here, in INSTALLED_APPS order.
"""

from __future__ import annotations

from recovery.dashboards import MY_DAY_SECTIONS
from recovery.demo import SEEDERS
from recovery.reminders import SWEEPS


def register(*, sweeps=(), seeders=(), my_day=()) -> None:
    """Add reminder sweeps (``recovery.reminders.SWEEPS``), demo seeders (``recovery.demo.SEEDERS``, in
    dependency order) and My day sections (``recovery.dashboards.MY_DAY_SECTIONS``: (function, template))."""
    SWEEPS.extend(sweeps)
    SEEDERS.extend(seeders)
    MY_DAY_SECTIONS.extend(my_day)

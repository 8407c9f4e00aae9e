"""The Spanish catalogue compiled for the tests that read Spanish (the .mo files are built, never committed:
``make`` runs compilemessages; a test run started by hand compiles here when the .po is newer)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def spanish_compiled() -> None:
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        call_command("compilemessages", locale=["es"], ignore_patterns=[".venv", "node_modules"], verbosity=0)
        trans_real._translations = {}  # read the new .mo (Django caches catalogues per process)
        trans_real._default = None
        translation.deactivate()

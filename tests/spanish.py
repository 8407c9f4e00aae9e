"""Reading a page in Spanish in a test (issue 21): the compiled catalogue, and a request that asks for "es"
every way a user can (the language cookie and Accept-Language, with Spanish active while the page renders)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def compiled() -> None:
    """Compile the Spanish catalogue when its .mo is missing or older than the .po (``.mo`` files are not kept)."""
    po, mo = CATALOGUE / "django.po", CATALOGUE / "django.mo"
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["es"], ignore_patterns=[".venv", "node_modules"], verbosity=0)
        translation.trans_real._translations = {}  # read the new catalogue
        translation.trans_real._active = translation.trans_real.Local()


def get_in_spanish(http, url: str):
    """``http.get(url)`` for a user reading Lantern in Spanish."""
    compiled()
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with translation.override("es"):
        return http.get(url, HTTP_ACCEPT_LANGUAGE="es")

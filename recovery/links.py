"""``uuid_url``: ``reverse(viewname, args=[uuid])`` for records' ``get_absolute_url``, reversed once.

A page lists dozens of records, each linked through its ``get_absolute_url`` (My day, a participant's
page): ``reverse`` per row was a tenth of a page's Python. The URL of a view that takes one uuid is
reversed once per view (and script prefix, language and URLconf), then each row's uuid is put in.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_MARK = "00000000-0000-4000-8000-000000000000"


@lru_cache(maxsize=256)
def _template(viewname: str, prefix: str, language: str | None, urlconf) -> tuple[str, str]:
    head, tail = reverse(viewname, args=[_MARK], urlconf=urlconf).split(_MARK)
    return head, tail


def uuid_url(viewname: str, uuid) -> str:
    """``reverse(viewname, args=[uuid])``, from a template reversed once."""
    head, tail = _template(viewname, get_script_prefix(), get_language(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{head}{uuid}{tail}"

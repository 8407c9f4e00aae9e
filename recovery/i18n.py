"""Languages: the one a user reads (``User.language``), and texts written for someone not at the screen.

Pages follow the signed-in user's choice (recovery.middleware.UserLanguageMiddleware) or, signed out, the
browser (LocaleMiddleware). Emails and notifications are written in their recipient's language:

* ``with in_language_of(user): ...`` renders anything (an email's subject and templates) in it;
* a notification's ``title``/``body`` (``recovery.notify.Draft``) may be a lazy string (``gettext_lazy``)
  or a function of no arguments returning text (``lambda: ngettext(...) % {...}``): ``notifications_send``
  renders it in each recipient's language. A plain string is stored as given and translated when shown
  (``localized``), which covers every text without placeholders.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


def usable_language(code: str | None) -> str:
    """``code`` if Lantern speaks it, else the site's language."""
    return code if code and translation.check_for_language(code) else settings.LANGUAGE_CODE


def user_language(user) -> str:
    """The language to write to ``user`` in when they are not at the screen: their choice, else the site's."""
    return usable_language(getattr(user, "language", ""))


def in_language_of(user) -> AbstractContextManager:
    return translation.override(user_language(user))


def render_text(text) -> str:
    """A deferred text (lazy string, or a function returning text) rendered in the active language."""
    if callable(text):
        text = text()
    if isinstance(text, Promise):
        text = str(text)
    return text or ""


def localized(text: str) -> str:
    """A stored English text (a notification title) in the active language when the catalogue has it."""
    return translation.gettext(text) if text else text

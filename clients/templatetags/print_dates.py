"""``{% load print_dates %}``: dates in printed documents (templates/clients/print/), written the way the
document's language writes them ("Mar 5, 2026" in English, "5 de marzo de 2026" in Spanish).

The format is itself a translated string (with a context, so that it is translated on its own), so a
document rendered inside ``translation.override`` gets its dates in that language's order and words.
"""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.translation import pgettext

register = template.Library()


@register.filter(expects_localtime=True)
def printed_date(value) -> str:
    if not value:
        return ""
    return date_format(value, pgettext("date in a printed document (Django date format)", "M j, Y"))


@register.filter(expects_localtime=True)
def printed_datetime(value) -> str:
    if not value:
        return ""
    return date_format(value, pgettext("date and time in a printed document (Django date format)", "M j, Y, g:i a"))

"""The shipped instrument and categories (outcomes/defaults.py) are stored in English; ``|shipped`` shows
them in the reader's language (the catalogue carries them). A program's own wording is not in the catalogue
and shows as typed."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def shipped(value):
    return gettext(value) if isinstance(value, str) and value else value

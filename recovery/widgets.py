"""Form widgets that render like Django's own, for less work per page."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html, in Python: ``name="value"``, a bare name for True, nothing for False."""
    return mark_safe("".join(  # noqa: S308 (every name and value is escaped here)
        "" if value is False else f" {conditional_escape(name)}" if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()))


class Select(forms.Select):
    """``forms.Select`` with its options joined in Python rather than rendered through a template each: the
    same HTML (tests/recovery/test_widgets.py), for lists of a program's staff (a hundred options and more)
    on pages everyone opens. Named ``Select`` like Django's: crispy-forms gives a field its widget's class
    name as a CSS class."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rows = format_html_join("", '\n  <option value="{}"{}>{}</option>\n', (
                (str(option["value"]), _attrs(option["attrs"]), option["label"]) for option in options))
            parts.append(format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, rows)
                         if group_name else rows)
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]),
                           mark_safe("".join(parts)))  # noqa: S308 (each part built by format_html)

"""``{% caseload_row client flags show_peer today %}``: one row of a caseload table, built in Python.

The same HTML as the row template it replaced (tests/clients/test_caseload_row.py compares them, with that
template kept there as the reference), for the tables that show a page of rows on every visit: the caseload, the
participant lists and the supervisee page (25 rows: 5 ms of CPU through the include, about 1 ms here). One
cell per heading of clients/includes/caseload_head.html.
"""

from __future__ import annotations

import datetime
import functools

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from clients.models import Client

register = template.Library()

TIME = '<time datetime="{}">{}</time>'
MUTED = '<span class="text-body-secondary">{}</span>'
BADGE = '<span class="badge {}">{}</span>'


def _day(value: datetime.date) -> SafeString:
    return _day_in(value, get_language())


@functools.lru_cache(maxsize=4096)
def _day_in(value: datetime.date, language: str | None) -> SafeString:
    """A day's cell text in ``language`` (its month's name is translated): formatting dates was ~15 % of a
    row's time, and a page's rows show the same days on every visit."""
    return format_html(TIME, date_filter(value, "Y-m-d"), date_filter(value, "M j, Y"))


def _name(client: Client) -> SafeString:
    pronouns = (format_html(' <span class="small text-body-secondary">({})</span>', client.pronouns)
                if client.pronouns else "")
    discharged = "" if client.is_active else format_html(" " + BADGE, "text-bg-secondary", gettext("Discharged"))
    return format_html('<td><a href="{}">{}</a>{}{}</td>', client.get_absolute_url(), client.display_name,
                       pronouns, discharged)


def _peer(client: Client) -> SafeString:
    if client.primary_peer:
        return format_html("<td>{}</td>", client.primary_peer.full_name)
    return format_html("<td>" + MUTED + "</td>", gettext("Nobody"))


def _last_contact(client: Client) -> SafeString:
    cell = _day(client.last_contact_on) if client.last_contact_on else format_html(MUTED, gettext("None yet"))
    if client.contact_due:
        words = gettext("Over %(no_contact_days)s days") % {"no_contact_days": client.no_contact_days}
        cell = format_html("{} " + BADGE, cell, "text-bg-danger", words)
    return format_html("<td>{}</td>", cell)


def _next_follow_up(client: Client, today: datetime.date) -> SafeString:
    if not client.next_follow_up_on:
        return format_html("<td>" + MUTED + "</td>", gettext("None"))
    overdue = (format_html(" " + BADGE, "text-bg-danger", gettext("Overdue"))
               if client.next_follow_up_on < today else "")
    return format_html("<td>{}{}</td>", _day(client.next_follow_up_on), overdue)


def _plan_review(client: Client) -> SafeString:
    if client.plan_review_on:
        return format_html("<td>{}</td>", _day(client.plan_review_on))
    return format_html("<td>" + MUTED + "</td>", gettext("Not set") if client.has_plan else gettext("No plan"))


def _consent(client: Client) -> SafeString:
    status = client.consent_status()
    if status == "active":
        return format_html("<td>" + BADGE + "</td>", "text-bg-success", gettext("In force"))
    if status == "expiring":
        return format_html("<td>" + BADGE + "</td>", "text-bg-warning", gettext("Expiring soon"))
    return format_html("<td>" + BADGE + "</td>", "text-bg-light border", gettext("None"))


def _flags(flags: list[str]) -> SafeString:
    if not flags:
        return format_html('<td><span class="visually-hidden">{}</span></td>', gettext("None"))
    return format_html("<td>{}</td>", format_html_join("", '<span class="badge text-bg-danger me-1">{}</span>',
                                                       ((flag,) for flag in flags)))


@register.simple_tag
def caseload_row(client: Client, flags: list[str], show_peer: bool, today: datetime.date) -> SafeString:
    cells = [_name(client), _peer(client) if show_peer else "", _last_contact(client),
             _next_follow_up(client, today), _plan_review(client), _consent(client), _flags(flags)]
    return format_html("<tr>{}</tr>\n", mark_safe("".join(cells)))  # noqa: S308 (each cell built by format_html)

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from peers.models import Status

register = template.Library()

BADGES = {
    Status.CURRENT: "text-bg-success",
    Status.EXPIRING: "text-bg-warning",
    Status.EXPIRED: "text-bg-danger",
    Status.CE_SHORT: "text-bg-info",
    Status.IN_TRAINING: "text-bg-secondary",
    Status.ENDED: "text-bg-light border",
}


@register.simple_tag
def status_badge(status: str) -> str:
    # A simple tag, not an inclusion template: the dashboard and the board show one per credential.
    return format_html('<span class="badge {}">{}</span>', BADGES.get(status, "text-bg-light"), Status(status).label)


@register.filter
def hours(value) -> str:
    """20.00 → "20", 2.50 → "2.5": hours without trailing zeros."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value).normalize():f}"


@register.filter
def days_phrase(days) -> str:
    """Days to expiry in words: "today", "in 1 day", "3 days ago"."""
    if days is None:
        return ""
    if days == 0:
        return gettext("today")
    if days > 0:
        return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    return ngettext("%(days)s day ago", "%(days)s days ago", -days) % {"days": -days}

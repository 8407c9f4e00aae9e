from django import template
from django.urls import NoReverseMatch, reverse

from recovery.links import uuid_url as _uuid_url

register = template.Library()


@register.filter
def uuid_url(uuid, viewname: str) -> str:
    """``{% url viewname uuid %}`` for a view that takes one uuid, from a template reversed once
    (``recovery.links``): for links repeated on every row of a list."""
    return _uuid_url(viewname, uuid)


@register.simple_tag
def url_if_exists(name: str) -> str:
    """The URL of a named route, or "" while the app that provides it has not shipped it."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def nav_active(context, prefix: str) -> str:
    path = context["request"].path
    return "active" if (path == prefix if prefix == "/" else path.startswith(prefix)) else ""

"""``{% extras "place" name=value ... as parts %}``: the parts apps above clients add to a page
(clients/extras.py)."""

from __future__ import annotations

from django import template

from clients.extras import extras as parts_of

register = template.Library()


@register.simple_tag(takes_context=True)
def extras(context, place: str, **objects):
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return []
    return parts_of(request, place, **objects)

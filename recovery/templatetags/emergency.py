"""``{% emergency_until client as until %}``: when the user's emergency access to a participant ends.

Reads the user's cached ``Reach`` (recovery.scoping), so the participant page's banner costs no query.
"""

from django import template

from recovery.scoping import emergency_until as _emergency_until

register = template.Library()


@register.simple_tag(takes_context=True)
def emergency_until(context, client):
    return _emergency_until(context["request"].user, client)

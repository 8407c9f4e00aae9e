from django.conf import settings

from recovery.js_texts import js_texts_json
from recovery.models import Notification
from recovery.offline import offline_key
from recovery.sessions import draft_keys


def lantern(request) -> dict:
    """What every page's navigation needs: the current membership, unread count, demo banner; the
    scripts' texts in the page's language (recovery/js_texts.py)."""
    context = {"DEMO_MODE": settings.DEMO_MODE, "js_texts": js_texts_json()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        membership = getattr(request, "membership", None)
        context["membership"] = membership
        context["memberships"] = user.active_memberships
        context["unread_notifications"] = Notification.objects.for_user(user).unread().count()
        context.update(draft_keys(user, membership.program_id if membership else None))
        context["offline_owner"] = offline_key(request.session)["owner"]
    return context

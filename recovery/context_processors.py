from django.conf import settings

from recovery.models import Notification
from recovery.offline import offline_key
from recovery.sessions import draft_keys


def lantern(request) -> dict:
    """What every page's navigation needs: the current membership, unread count, demo banner."""
    context = {"DEMO_MODE": settings.DEMO_MODE}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        membership = getattr(request, "membership", None)
        context["membership"] = membership
        context["memberships"] = user.active_memberships
        context["unread_notifications"] = Notification.objects.for_user(user).unread().count()
        context.update(draft_keys(user, membership.program_id if membership else None))
        context["offline_owner"] = offline_key(request.session)["owner"]
    return context

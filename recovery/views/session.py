"""How long the session has left, and the "Stay signed in" button of static/js/session-timeout.js."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from recovery.audit import serves
from recovery.sessions import session_touch


@never_cache
@serves("GET", "POST")
def session_status(request):
    """GET: seconds left (not counted as activity). POST: count now as activity (keep-alive)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "remaining": 0}, status=401)
    limits = session_touch(request) if request.method == "POST" else request.session_limits
    return JsonResponse({"signed_in": True, "remaining": limits.remaining, "limit": limits.limit,
                         "idle_seconds": limits.idle_seconds})

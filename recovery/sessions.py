"""Session limits, enforced on the server for every request.

* Idle time-out: the program's ``idle_timeout_minutes`` (the strictest of the user's programs, since one
  session spans them all). The next request after it goes to the login page.
* Absolute limit: ``SESSION_COOKIE_AGE`` (12 hours) after login, however active the session was.
* Deactivation: a user made inactive is anonymous at their next request (Django's backend refuses
  them) and their session is flushed; a membership (or program) deactivated since login ends the session.

Templates read ``request.session_limits`` to start the warning timer of static/js/session-timeout.js,
which asks ``session_status`` before acting, so several open tabs agree with the server.

The script keeps unsaved form text across a time-out, sealed (AES-GCM) with a key that only the pages of
the user who typed it receive, in the program they typed it in (``draft_keys``): whoever logs in next on
the same tab gets neither the key nor the text.
"""

from __future__ import annotations

import time
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from recovery.models import Membership
from recovery.offline import KEY_SESSION_KEY, offline_key_carry, offline_key_start
from recovery.twofactor import next_path, redirect_away

LOGIN_AT_KEY = "lantern_login_at"
LAST_SEEN_KEY = "lantern_last_seen"
MEMBERSHIPS_KEY = "lantern_memberships"

DEFAULT_IDLE_MINUTES = 15
# Writing the last activity costs a database write; do it at most once a minute (a tenth of the time-out
# when that is shorter), so a session may end up to that much before a full idle period. The browser
# always asks the server how much time is left, so it never acts on a stale guess.
TOUCH_INTERVAL = 60

DRAFT_OWNER_SALT = "recovery.sessions.draft-owner"
DRAFT_KEY_SALT = "recovery.sessions.draft-key"

IDLE_MESSAGE = _("For your privacy you were signed out after {minutes} minutes without activity. Log in to continue.")
ABSOLUTE_MESSAGE = _("You were signed out because a session lasts at most {hours} hours. Log in to continue.")
DEACTIVATED_MESSAGE = _("Your access has changed, so you were signed out. Log in again if you still have access.")


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    remaining: int  # seconds before the session ends, whichever limit comes first
    limit: str  # "idle" or "absolute": which one ends it


def idle_timeout_seconds(user) -> int:
    minutes = [m.program.idle_timeout_minutes for m in user.active_memberships]
    return 60 * (min(minutes) if minutes else DEFAULT_IDLE_MINUTES)


def _active_membership_ids(user) -> list[int]:
    # A fresh query, not ``user.active_memberships``: that is cached on the user object for the request.
    return sorted(
        Membership.objects.filter(user=user, is_active=True, program__is_active=True).values_list("id", flat=True)
    )


def session_start(session, user, now: int | None = None) -> None:
    now = int(time.time()) if now is None else now
    session[LOGIN_AT_KEY] = now
    session[LAST_SEEN_KEY] = now
    session[MEMBERSHIPS_KEY] = _active_membership_ids(user)


@receiver(user_logged_in, dispatch_uid="lantern_session_start")
def on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request.session, user)
        offline_key_start(request.session, user)


def _status_path() -> str:
    return reverse("session_status")


def _back_to_the_form(request, response: HttpResponse) -> HttpResponse:
    """A form posted from a browser whose session had already ended (another request of the page came first
    after the time-out: a background fetch) is sent to the login page by the view's ``login_required``, with
    the form's action as ``next``: a URL that may answer POST only, and not the page the text was typed on.
    Send it where a post the time-out bounces itself goes: the page that showed the form (``next_path``)."""
    if request.method != "POST" or response.status_code != 302 or request.user.is_authenticated:
        return response
    target = urlsplit(response["Location"])
    if (target.path != resolve_url(settings.LOGIN_URL) or target.netloc
            or parse_qs(target.query).get("next") != [request.get_full_path()]):
        return response
    return redirect_away(request, f"{target.path}?{urlencode({'next': next_path(request)})}")


def _end(request, message: str, *, keep_offline_key: bool = True) -> HttpResponse:
    going_to = next_path(request)
    user_id, offline_keys = request.user.pk, request.session.get(KEY_SESSION_KEY)
    logout(request)
    if keep_offline_key:  # drafts written offline open again at this user's next login (recovery/offline.py)
        offline_key_carry(request.session, user_id, offline_keys)
    messages.info(request, message)  # shown by the login page, also after the script's status check
    if request.path_info == _status_path():
        return JsonResponse({"signed_in": False, "remaining": 0}, status=401)
    return redirect_away(request, f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': going_to})}")


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._check(request) or _back_to_the_form(request, self.get_response(request))

    def _check(self, request) -> HttpResponse | None:
        session = request.session
        if not request.user.is_authenticated:
            if SESSION_KEY in session:
                session.flush()  # the user was deactivated (or deleted): nothing of their session stays
            return None
        now = int(time.time())
        if LOGIN_AT_KEY not in session:
            session_start(session, request.user, now)  # a session from before these limits existed
        idle = idle_timeout_seconds(request.user)
        absolute = settings.SESSION_COOKIE_AGE
        idle_for = now - session[LAST_SEEN_KEY]
        if now - session[LOGIN_AT_KEY] >= absolute:
            return _end(request, ABSOLUTE_MESSAGE.format(hours=absolute // 3600))
        if idle_for >= idle:
            return _end(request, IDLE_MESSAGE.format(minutes=idle // 60))
        if not set(session[MEMBERSHIPS_KEY]) <= {m.id for m in request.user.active_memberships}:
            return _end(request, DEACTIVATED_MESSAGE, keep_offline_key=False)
        # Asking how much time is left is not activity; everything else is.
        is_status_check = request.method == "GET" and request.path_info == _status_path()
        if not is_status_check and idle_for >= min(TOUCH_INTERVAL, idle // 10):
            session[LAST_SEEN_KEY] = now
            idle_for = 0
        absolute_left = absolute - (now - session[LOGIN_AT_KEY])
        idle_left = idle - idle_for
        request.session_limits = SessionLimits(
            idle_seconds=idle,
            remaining=min(idle_left, absolute_left),
            limit="absolute" if absolute_left < idle_left else "idle",
        )
        return None


def session_touch(request) -> SessionLimits:
    """Count this moment as activity (the "Stay signed in" button) and return the new limits."""
    now = int(time.time())
    request.session[LAST_SEEN_KEY] = now
    limits = request.session_limits
    absolute_left = settings.SESSION_COOKIE_AGE - (now - request.session[LOGIN_AT_KEY])
    return SessionLimits(
        idle_seconds=limits.idle_seconds,
        remaining=min(limits.idle_seconds, absolute_left),
        limit="absolute" if absolute_left < limits.idle_seconds else "idle",
    )


def draft_keys(user, program_id: int | None) -> dict[str, str]:
    """The opaque owner tag and the AES-256 key (base64url) of the drafts ``user`` types in a program.

    Both are HMACs of the user and program ids with SECRET_KEY (different salts, so the tag, visible in the
    tab's storage, says nothing of the key). They are the same in every session, so text kept at a time-out
    comes back after the next login; another user's pages never get this key, so they cannot read it.
    """
    value = f"{user.pk}:{program_id or 0}"
    owner = salted_hmac(DRAFT_OWNER_SALT, value, algorithm="sha256").hexdigest()[:32]
    key = salted_hmac(DRAFT_KEY_SALT, value, algorithm="sha256").digest()
    return {"draft_owner": owner, "draft_key": urlsafe_b64encode(key).decode().rstrip("=")}

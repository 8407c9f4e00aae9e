"""Offline drafts (static/js/offline.js and the service worker, templates/recovery/sw.js).

A note or follow-up written with no signal is kept on the device, sealed (AES-GCM) with a key that lives
in the server session: the page asks ``offline_key`` for it while online and keeps it in IndexedDB as a
key no script can read back. Every login makes a new key and a new opaque owner tag, so drafts typed in
one session open in that session only: another user on the same device gets another key (their pages
delete the previous user's), and log-out leaves the stored drafts unreadable. The one exception is a
session ended by the time-out while the peer was offline: the same user logging in again gets the same
key back, so what they wrote on the road is sent once the signal returns.

Pages a peer may need without signal (My day, the participant page, the note and follow-up forms) carry
the owner tag in a response header; the service worker keeps a copy of those pages only, for that owner.
"""

from __future__ import annotations

import functools
import secrets
from base64 import urlsafe_b64encode

KEY_SESSION_KEY = "lantern_offline_key"
CARRIED_SESSION_KEY = "lantern_offline_carried"
OWNER_HEADER = "Lantern-Offline"


def offline_key_new(session) -> dict[str, str]:
    """A fresh key and owner tag for this session (called at login)."""
    keys = {"owner": secrets.token_hex(16), "key": urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")}
    session[KEY_SESSION_KEY] = keys
    return keys


def offline_key(session) -> dict[str, str]:
    """This session's key and owner tag (a session from before offline drafts gets one now)."""
    return session.get(KEY_SESSION_KEY) or offline_key_new(session)


def offline_key_carry(session, user_id: int, keys: dict[str, str] | None) -> None:
    """After a time-out: keep the ended session's key for the same user's next login (anonymous session)."""
    if keys:
        session[CARRIED_SESSION_KEY] = {"user": user_id, **keys}


def offline_key_start(session, user) -> None:
    """At login: the key carried over from this user's timed-out session, else a new one."""
    carried = session.pop(CARRIED_SESSION_KEY, None)
    if carried and carried.get("user") == user.pk:
        session[KEY_SESSION_KEY] = {"owner": carried["owner"], "key": carried["key"]}
    else:
        offline_key_new(session)


def offline_page(view):
    """Mark a page the service worker may keep for its signed-in user, to open without signal."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and request.user.is_authenticated:
            response[OWNER_HEADER] = offline_key(request.session)["owner"]
        return response

    return wrapped

"""The texts the page scripts (static/js/*.js) show, in the page's language.

base.html puts them on <body data-texts="{…}"> (JSON) when the page is not in English; each script reads
them through ``lanternText(key, english, values)`` (static/js/texts.js) and falls back to the English it
carries, so a key missing here only shows English. Placeholders are ``{name}``, filled by the script.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

JS_TEXTS = {
    # static/js/session-timeout.js
    "session.ending": _("Your session is ending"),
    "session.still_there": _("Are you still there?"),
    "session.ending_text": _("A session lasts at most 12 hours, so Lantern will sign you out in about a minute. "
                             "What you typed is kept: it comes back when you log in again."),
    "session.idle_text": _("For privacy, Lantern will sign you out in about a minute. What you typed is kept: it "
                           "comes back when you log in again."),
    "session.seconds_left": _("{seconds} seconds left"),
    "session.stay": _("Stay signed in"),
    "session.ok": _("OK"),
    "session.restored": _("What you typed before you were signed out is back in the form. Check it, then save."),
    # static/js/offline.js
    "offline.waiting": _("Waiting to send"),
    "offline.sending": _("Sending…"),
    "offline.signin": _("Log in to send"),
    "offline.refused": _("Not sent"),
    "offline.kept": _("No signal: what you wrote is kept on this device and will be sent when the connection "
                      "returns."),
    "offline.no_key": _("No signal, and this device has no key to keep it safely: open Lantern once with signal "
                        "after you log in. What you typed is still in the form."),
    "offline.sign_in": _("You were signed out. Log in again on this device to send it."),
    "offline.not_yours": _("This participant is no longer on your caseload (or was reassigned), so it was not "
                           "saved. Your text is kept here: copy it or talk with your supervisor."),
    "offline.forbidden": _("You can no longer write this for the participant, so it was not saved. Your text is "
                           "kept here."),
    "offline.not_saved": _("Not saved: {errors} Put it back in the form to correct it."),
    "offline.not_accepted": _("Not saved: the form was not accepted. Put it back in the form to check it."),
    "offline.server_error": _("The server did not take it (error {status}): trying again soon."),
    "offline.title": _("Kept on this device"),
    "offline.back": _("Your text is back in the form. Check it, then save."),
    "offline.put_back": _("Put it back in the form"),
    "offline.open_form": _("Open the form"),
    "offline.discard": _("Discard it"),
    "offline.sent": _("Sent"),
    # static/js/checkin-form.js
    "checkin.all_answered": _("All {total} items answered."),
    "checkin.unanswered": _("{left} of {total} unanswered."),
    # static/js/checklist-filter.js
    "checklist.shown": _("{shown} of {total} shown"),
}


def js_texts_json() -> str:
    """The texts as JSON for the active language; "" in the site's language (the scripts carry it)."""
    if translation.get_language() in (None, settings.LANGUAGE_CODE):
        return ""
    return json.dumps({key: str(text) for key, text in JS_TEXTS.items()}, ensure_ascii=False)

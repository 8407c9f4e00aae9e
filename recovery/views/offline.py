"""Lantern as an installable app that keeps drafts without signal (recovery/offline.py): the web app
manifest, the service worker, the per-session draft key, and a log-out that empties the browser's storage."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from recovery.audit import serves
from recovery.offline import OWNER_HEADER, offline_key

THEME_COLOUR = "#1f4e5f"
CLEAR_SITE_DATA = '"cache"'
ICONS = [("img/icons/lantern-192.png", "192x192", "any"), ("img/icons/lantern-512.png", "512x512", "any"),
         ("img/icons/lantern-maskable-512.png", "512x512", "maskable")]
# What every page needs to draw and run, kept by the service worker so a page opens without signal.
SHELL_ASSETS = ["vendor/bootstrap/css/bootstrap.min.css", "css/lantern.css", "img/lantern.svg",
                "vendor/bootstrap/js/bootstrap.bundle.min.js", "django_htmx/htmx-2.min.js", "js/texts.js",
                "js/session-timeout.js", "js/error-summary.js", "js/show-when.js", "js/offline.js"]


@serves("GET")
def manifest(request):
    """The web app manifest: public, the same for everyone (browsers fetch it without cookies)."""
    data = {
        "name": "Lantern", "short_name": "Lantern",
        "description": _("Case notes and follow-ups for peer recovery programs."),
        "start_url": "/", "scope": "/", "display": "standalone", "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [{"src": static(src), "sizes": sizes, "type": "image/png", "purpose": purpose}
                  for src, sizes, purpose in ICONS],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@never_cache
@serves("GET")
def service_worker(request):
    """The service worker, at the site root so that its scope is every page (its script is same-origin, so
    the strict CSP's script-src 'self' allows it). Never cached: a new version reaches browsers at once."""
    script = render_to_string("recovery/sw.js", {  # no request: the same script for everyone
        "assets": [static(path) for path in SHELL_ASSETS], "static_url": static(""),
        "owner_header": OWNER_HEADER.lower(),
    })
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@never_cache
@login_required
@serves("GET")
def offline_key_view(request):
    """This session's draft key and owner tag, and a CSRF token to send the drafts with (never cached)."""
    keys = offline_key(request.session)
    return JsonResponse({"owner": keys["owner"], "key": keys["key"], "csrf": get_token(request),
                         "login": reverse("login")})


@serves("POST")
class LogoutView(auth_views.LogoutView):
    """Log out, and have the browser delete what this site stored.

    static/js/offline.js deletes the kept pages (Cache Storage), the drafts and keys (IndexedDB), local
    storage and the service worker before the form is sent, and session-timeout.js this user's text kept in
    the tab; the header empties the browser's HTTP cache. It does not name "storage": that would also delete
    the text another user kept in this tab across their time-out (sealed with their key, which this tab no
    longer has), which must come back to them at their next login.
    """

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

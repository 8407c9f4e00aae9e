"""Request-wide rules: the current program membership (checked once per view), no caching of signed-in
pages, a body size limit, the signed-in user's language.

Every view that works inside a program asks ``membership_for(request, *roles)``: one answer for
everyone. No active membership → the "not part of a program" page (403); a role not among ``roles`` →
403. Out-of-scope objects are a separate matter (404, ``visible_to``).
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "lantern_program"


def current_membership(request):
    """The membership the user works in now: the one chosen in the session, else the first."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = user.active_memberships
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.program_id == chosen:
            return membership
    return memberships[0]


class NoProgram(PermissionDenied):
    """The signed-in user works in no program: there is nothing of any program to show them."""


WRONG_ROLE = _("Your role in this program does not allow this.")


def membership_for(request, *roles: str):
    """The membership the user works in now, with one of ``roles`` if any are named.

    Raises ``NoProgram`` (rendered as the "not part of a program" page, 403) without an active
    membership, and ``PermissionDenied`` (403) when the membership's role is not one of ``roles``.
    """
    membership = request.membership
    if membership is None:
        raise NoProgram("You are not part of a program.")
    if roles and membership.role not in roles:
        raise PermissionDenied(WRONG_ROLE)
    return membership


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = current_membership(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoProgram):
            return render(request, "recovery/no_program.html", status=403)
        return None

class UserLanguageMiddleware:
    """A signed-in user who chose a language (``User.language``) sees Lantern in it, whatever the browser
    says; with none chosen, LocaleMiddleware's pick from the cookie or Accept-Language stands. Sits after
    the authentication middleware (the user is loaded there anyway: no extra query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class NoStoreMiddleware:
    """Every answer to a signed-in user is kept out of caches (browser back-forward, shared proxies).

    Pages of a signed-in user show participant data or lead to it; a shared computer must not show them
    again from its cache after sign-out. Static files are answered by WhiteNoise before this runs, so they
    stay cacheable. Sits after the authentication middleware (it needs ``request.user``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:  # before or after: the sign-out and sign-in answers too
            add_never_cache_headers(response)
        return response


class RequestTooLarge(Exception):
    pass


def _read_capped(stream, limit: int):
    """Copy an unknown-length body into a spooled file; ``RequestTooLarge`` as soon as it passes ``limit``."""
    # Handed on to the request as its body (freed with it), so no context manager.
    body = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    size = 0
    while chunk := stream.read(min(64 * 1024, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            body.close()
            raise RequestTooLarge
        body.write(chunk)
    body.seek(0)
    return body, size


class RequestSizeLimitMiddleware:
    """Refuse a request body over ``REQUEST_BODY_MAX_BYTES`` with 413, before any of it is read.

    Django bounds only the non-file part of a form (DATA_UPLOAD_MAX_MEMORY_SIZE); uploaded files of any
    size are streamed to disk. A declared Content-Length over the limit is refused at once. A body of
    unknown length (chunked, passed on by the server as a terminated stream) is read here up to the limit
    and refused as soon as it passes it; Django itself would otherwise ignore it. First in MIDDLEWARE:
    nothing before it reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        meta = request.META
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest("Invalid Content-Length.", content_type="text/plain")
        if declared > limit:
            return _too_large(limit)
        if not declared and meta.get("wsgi.input_terminated") and "wsgi.input" in meta:
            try:
                body, size = _read_capped(meta["wsgi.input"], limit)
            except RequestTooLarge:
                return _too_large(limit)
            if size:  # let Django parse what was sent (it reads CONTENT_LENGTH bytes of ``_stream``)
                meta["CONTENT_LENGTH"] = str(size)
                request._stream = LimitedStream(body, size)
        return self.get_response(request)


def _too_large(limit: int) -> HttpResponse:
    return HttpResponse(f"The request is larger than {limit // (1024 * 1024)} MB.", status=413,
                        content_type="text/plain; charset=utf-8")

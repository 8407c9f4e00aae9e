"""Going back to the page a form came from (``next``): the one check every view uses (security issue, point 12).

A ``next`` value is typed by whoever sends the request. It is followed only when it is a URL of this site
(``url_has_allowed_host_and_scheme``: no other host, no ``javascript:``), of a sane length, and free of
control and format characters: a NUL, a line break or a right-to-left override has no place in a URL we
wrote, and a NUL in a ``Location`` header is a 500 rather than a redirect. Anything else is ignored and the
view's own fallback is used: a hostile ``next`` costs its sender nothing but the redirect they asked for.
Nor is a ``next`` followed that names a form's POST-only action (a form posted after the idle time-out, from a
browser that sends no Referer): the browser sent there would get a 405 page; the fallback (My day) instead.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from recovery.audit import METHOD_POLICY
from recovery.once import TOKEN_FIELD, create_once, earlier_submission

MAX_NEXT_LENGTH = 2000  # longer than any URL of ours; browsers and proxies start refusing around here


def is_our_url(request: HttpRequest, url: str) -> bool:
    """Whether ``url`` is safe to send the user to: this site only, printable, not absurdly long."""
    if not url or len(url) > MAX_NEXT_LENGTH:
        return False
    if any(unicodedata.category(ch)[0] == "C" for ch in url):  # Cc, Cf, Cs, Co, Cn: NUL, CR/LF, RLO…
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def opens_with_get(url: str) -> bool:
    """Whether ``url`` is a page to be sent to: its view answers GET (``recovery.audit.serves``), unlike a form's
    POST-only action, which would answer 405 to the browser sent there. A URL no view of ours declares is left
    to its view."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return True
    policy = getattr(getattr(match.func, "view_class", match.func), METHOD_POLICY, None)
    return policy is None or "GET" in policy.methods


def next_url(request: HttpRequest, fallback: str = "") -> str:
    """The ``next`` the request names (the form's field, else the query string's), if it is a page of ours; else
    ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_our_url(request, target) and opens_with_get(target) else fallback


def redirect_back(request: HttpRequest, fallback, *args, **kwargs) -> HttpResponseRedirect:
    """Redirect to the request's ``next`` if it is ours, else to ``fallback`` (a URL, URL name or model, as
    ``redirect()`` takes it). The ``next`` is used as a URL, never looked up as a URL name."""
    target = next_url(request)
    return HttpResponseRedirect(target) if target else redirect(fallback, *args, **kwargs)


def carry_out(request: HttpRequest, action, *, success: str) -> bool:
    """Run ``action`` (a service call) and tell the user: ``success``, or the reasons it was refused (a
    ``ValidationError``) as an error message. True when it ran; the view redirects either way."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def show_refusal(form, error: ValidationError) -> None:
    """A service's refusal on the form: at the field it names (when the form has that field), else above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_page(request: HttpRequest, form, template: str, context: dict, *, save, success: str, then):
    """The tail every form view shares: on a valid POST run ``save`` (a refusal, ``ValidationError``, lands on
    the form), say ``success`` and redirect to ``then`` (a URL, a URL name or a record); otherwise (a GET, or
    errors) the page, with the form and what the user typed."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, success)
            return redirect(then)
    return render(request, template, {"form": form, **context})


def create_page(request: HttpRequest, form: Callable, template: str, context: dict | Callable | None = None, *,
                create: Callable[..., str], success: str = "", conflict: dict | None = None) -> HttpResponse:
    """A create form's page, sent once whatever the clicks (``recovery.once``). A repeat of a form already sent
    goes where the first went before anything is bound or checked; a valid POST runs ``create(form)`` (it
    returns the URL to go to) once per form token and says ``success`` if given (else ``create`` says what
    it did); a refusal (``ValidationError``) lands on the form; otherwise the page with the form as typed.

    ``form`` is a callable that builds the (bound) form, called after the repeat check. ``context`` is a dict,
    or a callable taking the form for what only the page needs. ``conflict`` (field: message) is shown when
    the database refuses the new row as a duplicate of one added a moment ago (a unique constraint)."""
    if request.method == "POST" and (done := earlier_submission(request)):
        return done
    form = form()
    if request.method == "POST" and form.is_valid():
        try:
            return create_once(request, form.cleaned_data[TOKEN_FIELD],
                               lambda: _created(request, create(form), success))
        except ValidationError as error:
            show_refusal(form, error)
        except IntegrityError:
            if conflict is None:
                raise
            for field, message in conflict.items():
                form.add_error(field, message)
    context = context(form) if callable(context) else context or {}
    return render(request, template, {"form": form, **context})


def _created(request: HttpRequest, url: str, success: str) -> str:
    if success:
        messages.success(request, success)
    return url

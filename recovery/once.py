"""Double submits: the one mechanism every create form uses.

A create form carries a hidden one-time token (``OnceMixin``). The view runs its creation through
``create_once``, which claims the token in the same transaction as the records it creates: a second
submit of the same form (a double click, a resent request, two at once) creates nothing and is sent to
where the first one went. ``earlier_submission`` lets a view answer a repeat before validating the form,
so a resubmit of a form whose data is no longer valid (a draft already signed) still lands on the result.

A create form's page uses both through ``recovery.http.create_page``; only a page that is not one form
and its create (a form that may end without creating, a two-step import, a button) calls them itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from recovery.models import FormSubmission

TOKEN_FIELD = "form_token"


class OnceMixin:
    """A create form: it renders a one-time token that ``create_once`` claims."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def _posted_token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except ValueError:
        return None


def earlier_submission(request) -> HttpResponseRedirect | None:
    """The redirect to where an earlier submit of this form's token went, if this is a repeat."""
    token = _posted_token(request)
    if token is None:
        return None
    done = FormSubmission.objects.filter(token=token, user=request.user).first()
    return redirect(done.redirect_to) if done else None


def create_once(request, token: uuid.UUID, create: Callable[[], str]) -> HttpResponseRedirect:
    """Run ``create`` (it returns the URL to go to next) once per form token, then redirect there.

    Two submits at the same moment: the token's primary key makes the second wait, fail and roll back
    what it created; it is sent where the first went. A token claimed by another user (a forged form)
    is no repeat: the IntegrityError propagates.
    """
    try:
        with transaction.atomic():
            url = create()
            FormSubmission.objects.create(token=token, user=request.user, redirect_to=url)
    except IntegrityError:
        done = FormSubmission.objects.filter(token=token, user=request.user).first()
        if done is None:
            raise
        return redirect(done.redirect_to)
    return redirect(url)

"""Merging two records of one person (program admins only): pick the record kept, confirm, merge."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from clients.services.merge import client_merge, merge_counts
from clients.views.common import scoped_client
from recovery.audit import serves
from recovery.middleware import membership_for
from recovery.models import Membership
from recovery.once import OnceMixin, create_once, earlier_submission

ADMIN = Membership.Role.ADMIN
CANDIDATES = 20


class MergeForm(OnceMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are these two records of one person?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: enrolled twice, once under a maiden name. Kept in both records' history."))


def _candidates(request, duplicate: Client, query: str):
    """Records the duplicate may be merged into: in use, in its program, seen by the admin. Without a search,
    the ones that look alike (the same name or the same date of birth)."""
    records = (Client.objects.visible_to(request.user).filter(program_id=duplicate.program_id)
               .exclude(pk=duplicate.pk).order_by("name_key", "pk"))
    if query.strip():
        return list(records.search(query)[:CANDIDATES])
    return list(records.filter(Q(name_key=duplicate.name_key) | Q(birth_date=duplicate.birth_date))[:CANDIDATES])


@login_required
@serves("GET")
def merge_pick(request, client_uuid: uuid.UUID):
    """From the duplicate's page: find the record to keep, within the program."""
    membership_for(request, ADMIN)
    duplicate = scoped_client(request, client_uuid)
    query = request.GET.get("q", "")[:100]
    return render(request, "clients/merge_pick.html", {
        "client": duplicate, "query": query, "candidates": _candidates(request, duplicate, query)})


@login_required
@serves("GET", "POST")
def merge_confirm(request, client_uuid: uuid.UUID, kept_uuid: uuid.UUID):
    """Both records side by side with what will move; the POST merges (once per form, whatever the clicks)."""
    membership_for(request, ADMIN)
    if request.method == "POST" and (done := earlier_submission(request)):
        return done
    duplicate = scoped_client(request, client_uuid)
    kept = scoped_client(request, kept_uuid)
    if kept.pk == duplicate.pk or kept.program_id != duplicate.program_id:
        raise Http404
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return create_once(request, form.cleaned_data["form_token"], lambda: _merge(request, duplicate, kept, form))
        except ValidationError as error:
            form.add_error(None, error)
    counts = merge_counts(duplicate, kept)
    return render(request, "clients/merge_confirm.html", {
        "client": duplicate, "kept": kept, "form": form,
        "sides": [(duplicate, counts.get(duplicate.pk, []), True), (kept, counts.get(kept.pk, []), False)]})


def _merge(request, duplicate: Client, kept: Client, form: MergeForm) -> str:
    client_merge(duplicate=duplicate, kept=kept, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, gettext("Merged: everything from the other record is now on this one."))
    return kept.get_absolute_url()

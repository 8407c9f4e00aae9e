"""Merging two records of one person (program admins only): pick the record kept, confirm, merge."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from clients.services.merge import client_merge, merge_counts
from clients.views.common import scoped_client
from recovery.audit import serves
from recovery.http import create_page
from recovery.middleware import membership_for
from recovery.models import Membership
from recovery.once import OnceMixin

ADMIN = Membership.Role.ADMIN
CANDIDATES = 20


class MergeForm(OnceMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are these two records of one person?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: enrolled twice, once under a maiden name. Kept in both records' history."))

    def __init__(self, *args, duplicate: Client, kept: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate, self.kept = duplicate, kept


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
    return create_page(request, lambda: _merge_form(request, client_uuid, kept_uuid), "clients/merge_confirm.html",
                       _sides, success=gettext("Merged: everything from the other record is now on this one."),
                       create=lambda form: _merge(request, form))


def _merge_form(request, client_uuid: uuid.UUID, kept_uuid: uuid.UUID) -> MergeForm:
    """The form over both records (fetched after the repeat check: once merged, the duplicate is out of reach)."""
    duplicate = scoped_client(request, client_uuid)
    kept = scoped_client(request, kept_uuid)
    if kept.pk == duplicate.pk or kept.program_id != duplicate.program_id:
        raise Http404
    return MergeForm(request.POST or None, duplicate=duplicate, kept=kept)


def _sides(form: MergeForm) -> dict:
    duplicate, kept = form.duplicate, form.kept
    counts = merge_counts(duplicate, kept)
    return {"client": duplicate, "kept": kept,
            "sides": [(duplicate, counts.get(duplicate.pk, []), True), (kept, counts.get(kept.pk, []), False)]}


def _merge(request, form: MergeForm) -> str:
    client_merge(duplicate=form.duplicate, kept=form.kept, by=request.user, reason=form.cleaned_data["reason"])
    return form.kept.get_absolute_url()

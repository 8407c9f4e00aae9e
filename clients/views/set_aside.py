"""Setting aside a participant record entered in error, and restoring it (program admins only)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.services.set_aside import client_restore, client_set_aside
from clients.views.common import reachable_client, scoped_client
from recovery.audit import serves
from recovery.http import carry_out, form_page
from recovery.middleware import membership_for
from recovery.models import Membership

ADMIN = Membership.Role.ADMIN


class SetAsideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was this record entered in error?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a second record of someone already enrolled, or a test entry. Kept in the "
                    "record's history."))


@login_required
@serves("GET", "POST")
def set_aside(request, client_uuid: uuid.UUID):
    """The admin marks the record as entered in error: it is kept, and hidden from every list."""
    membership_for(request, ADMIN)
    client = scoped_client(request, client_uuid)
    form = SetAsideForm(request.POST or None)
    return form_page(request, form, "clients/set_aside.html", {"client": client},
                     save=lambda: client_set_aside(client=client, by=request.user, reason=form.cleaned_data["reason"]),
                     success=gettext("Marked as entered in error. The record is kept and hidden from every list."),
                     then=client)


@login_required
@serves("POST")
def restore(request, client_uuid: uuid.UUID):
    """The admin puts a set-aside record back in use."""
    membership_for(request, ADMIN)
    client = reachable_client(request, client_uuid)
    if not client.is_set_aside:
        raise Http404
    carry_out(request, lambda: client_restore(client=client, by=request.user),
              success=gettext("Restored: the record is back in the lists."))
    return redirect(client)

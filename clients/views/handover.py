"""Marking someone as former staff: their participants go to other staff (or "needs assignment") in the
same POST, so none is ever left where no supervisor sees them (``clients.handover``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from clients import handover
from peers.views import editable_staff, to_record
from recovery.audit import read_by, serves
from recovery.models import AccessLog


@login_required
@serves("GET", "POST")
def staff_handover(request, user_uuid):
    membership = editable_staff(request, user_uuid)
    if membership.user_id == request.user.pk:
        raise PermissionDenied("You cannot mark yourself as former staff.")
    if not membership.is_active:
        messages.info(request, gettext("%(name)s is already former staff.") % {"name": membership.user.full_name})
        return to_record(membership)
    carried = list(handover.carried_clients(membership).order_by("-status", "name_key", "pk"))
    candidates = handover.reassignment_candidates(by=request.user, membership=membership)
    form = handover.StaffHandoverForm(request.POST or None, carried=carried, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            moved = handover.staff_handover(membership=membership, by=request.user,
                                            reason=form.cleaned_data["reason"], peer_of=form.peer_of())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if moved is None:
                messages.info(request,
                              gettext("%(name)s is already former staff.") % {"name": membership.user.full_name})
            else:
                messages.success(request, ngettext(
                    "%(name)s is now former staff; %(count)s participant handed on.",
                    "%(name)s is now former staff; %(count)s participants handed on.", len(carried))
                    % {"name": membership.user.full_name, "count": len(carried)})
            return to_record(membership)
    if carried:  # the page names them: @serves logs it when it is shown (GET, HEAD, a rejected POST)
        read_by(request, "clients.staff_handover", action=AccessLog.Action.LIST, program_id=membership.program_id)
    return render(request, "clients/staff_handover.html", {"form": form, "staff": membership, "carried": carried})

"""The participant page and the changes made from it: details, assignment, discharge, re-enrolment."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from clients import services
from clients.forms.participants import AssignForm, ClientForm, DischargeForm, ReenrolForm
from clients.models import Client
from clients.sections import participant_sections
from clients.views.common import editable_client, reachable_client, scoped_client
from recovery.audit import log_access, serves
from recovery.http import create_page, form_page
from recovery.models import Membership
from recovery.offline import offline_page
from recovery.scoping import can_edit_participant, ensure_role, role_in

REASSIGNING_ROLES = (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)


@login_required
@serves("GET")
@offline_page
def detail(request, client_uuid: uuid.UUID):
    # A record merged into another opens the record kept (for whoever may see that one). Asked only when the
    # record itself is out of reach or is such a record, so the participant page spends no query on it.
    client = None
    try:
        client = reachable_client(request, client_uuid)  # an admin also opens a record set aside (a banner says so)
    except Http404:
        kept = Client.objects.visible_to(request.user).filter(merged_records__uuid=client_uuid).first()
    else:
        kept = client if client.merged_into_id is None else (
            Client.objects.visible_to(request.user).filter(pk=client.merged_into_id).first())
    if kept is None:
        raise Http404
    if kept is not client:
        messages.info(request, gettext("That record was merged into this one: everything it held is here."))
        return redirect(kept)
    role = role_in(request.user, client.program_id)
    page = {
        "today": client.program.today(),
        "can_edit": can_edit_participant(request.user, client) and not client.is_set_aside,
        "can_assign": role in REASSIGNING_ROLES and not client.is_set_aside,
        "can_set_aside": role == Membership.Role.ADMIN,
    }
    sections = participant_sections(request, client, page)
    log_access(request, client, client_uuid=client.uuid)
    return render(request, "clients/detail.html", {"client": client, "sections": sections, **page})


@login_required
@serves("GET", "POST")
def edit(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    form = ClientForm(request.POST or None, instance=client, today=client.program.today())
    return form_page(request, form, "clients/edit.html", {"client": client}, success=gettext("Details saved."),
                     then=client, save=lambda: services.client_update(client=form.save(commit=False)))


@login_required
@serves("GET", "POST")
def assign(request, client_uuid: uuid.UUID):
    """Supervisors and admins give the participant to a peer (or back to "needs assignment")."""
    client = scoped_client(request, client_uuid)
    ensure_role(request.user, client.program_id, *REASSIGNING_ROLES)
    assignable = services.assignable_staff_with_caseloads(request.user, client.program_id)
    form = AssignForm(request.POST or None, assignable=assignable, initial={"peer": client.primary_peer_id})
    return form_page(request, form, "clients/assign.html", {"client": client},
                     success=gettext("Caseload assignment saved."), then=client,
                     save=lambda: services.client_assign(client=client, peer=form.cleaned_data["peer"], by=request.user,
                                                         reason=form.cleaned_data["reason"]))


@login_required
@serves("GET", "POST")
def discharge(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    episode = client.episodes.filter(discharged_on__isnull=True).first()
    if episode is None:
        messages.info(request, gettext("This participant is already discharged."))
        return redirect(client)
    today = client.program.today()
    form = DischargeForm(request.POST or None, instance=episode, today=today, initial={"discharged_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.episode_discharge(client=client, by=request.user, discharged_on=data["discharged_on"],
                                   reason=data["discharge_reason"], note=data["discharge_note"])
        messages.success(request, gettext("Participant discharged. Their plan is closed."))
        return redirect(client)
    return render(request, "clients/discharge.html", {"client": client, "form": form, "episode": episode})


@login_required
@serves("GET", "POST")
def reenrol(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    if client.is_active:
        messages.info(request, gettext("This participant is already enrolled."))
        return redirect(client)
    today = client.program.today()
    return create_page(request, lambda: ReenrolForm(request.POST or None, today=today, initial={"started_on": today}),
                       "clients/reenrol.html", {"client": client},
                       success=gettext("Participant re-enrolled: a new episode of service has begun."),
                       create=lambda form: _reenrol(request, client, form))


def _reenrol(request, client, form) -> str:
    data = form.cleaned_data
    services.episode_open(client=client, by=request.user, started_on=data["started_on"],
                          referral_source=data["referral_source"], referral_detail=data["referral_detail"])
    return client.get_absolute_url()

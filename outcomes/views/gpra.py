"""GPRA interviews of a participant, and the program's follow-up lists and rate."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clients.models import Client
from clients.views.common import scoped_client
from outcomes import gpra, services
from outcomes.forms import InterviewForm
from outcomes.models import Interview, OutcomeSettings
from recovery.audit import log_access, serves
from recovery.middleware import membership_for
from recovery.models import AccessLog
from recovery.scoping import can_edit_participant, ensure_can_edit_participant


@login_required
@serves("GET", "POST")
def gpra_participant(request, client_uuid: uuid.UUID):
    """The participant's window and interviews; their peer records an interview here (POST)."""
    client = scoped_client(request, client_uuid)
    settings = OutcomeSettings.of(client.program)
    today = client.program.today()
    can_edit = can_edit_participant(request.user, client)
    if request.method == "POST":
        ensure_can_edit_participant(request.user, client)
    form = InterviewForm(request.POST or None, today=today, initial={"held_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.interview_record(client=client, kind=data["kind"], held_on=data["held_on"], outcome=data["outcome"],
                                  outcome_detail=data["outcome_detail"].strip(), by=request.user)
        messages.success(request, _("Interview saved."))
        return redirect("outcomes:gpra_participant", client_uuid=client.uuid)
    interviews = list(Interview.objects.filter(client=client).select_related("recorded_by"))
    window = gpra.window_of(client, interviews, settings, today)
    return render(request, "outcomes/gpra_participant.html", {
        "client": client, "interviews": interviews, "window": window, "form": form, "can_edit": can_edit,
        "settings": settings})


@login_required
@serves("GET")
def gpra_list(request):
    """Due now, closing within 30 days, missed; the follow-up rate per program and per peer."""
    membership = membership_for(request)
    program = membership.program
    settings = OutcomeSettings.of(program)
    today = program.today()
    rows = gpra.windows(program, settings, today, Client.objects.visible_to(request.user))
    overall, by_peer = gpra.rates(rows, settings.followup_target_percent)
    log_access(request, "outcomes.gpra_list", action=AccessLog.Action.LIST, program_id=program.pk)
    return render(request, "outcomes/gpra_list.html", {
        "settings": settings, "today": today, "overall": overall, "by_peer": by_peer,
        "due": [w for w in rows if w.state == gpra.DUE and not w.closing_soon],
        "closing": [w for w in rows if w.closing_soon],
        "missed": [w for w in rows if w.state == gpra.MISSED],
        "upcoming": [w for w in rows if w.state == gpra.UPCOMING][:50],
    })

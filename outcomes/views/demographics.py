"""Demographics and status of a participant (dated observations), and the program's counts."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clients.models import Client
from clients.views.common import editable_client, scoped_client
from outcomes import demographics, services
from outcomes.forms import ANSWERED, DECLINED, DemographicsForm
from outcomes.models import Category, Observation
from recovery.audit import log_access, serves
from recovery.middleware import membership_for
from recovery.models import AccessLog


@login_required
@serves("GET")
def demographics_detail(request, client_uuid: uuid.UUID):
    client = scoped_client(request, client_uuid)
    labels = demographics.category_labels(client.program_id)
    history = list(Observation.objects.filter(client=client).select_related("recorded_by")
                   .order_by("question", "-observed_on", "-pk"))
    log_access(request, client, client_uuid=client.uuid)
    return render(request, "outcomes/demographics_detail.html", {
        "client": client, "rows": demographics.current_rows(history, labels),
        "history": [(o, demographics.answer_text(o, labels)) for o in history],
        "can_edit": request.user.pk == client.primary_peer_id})


@login_required
@serves("GET", "POST")
def demographics_edit(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    today = client.program.today()
    current = {o.question: o for o in Observation.objects.filter(client=client).latest_per_question()}
    categories = demographics.category_choices(client.program_id)
    form = DemographicsForm(request.POST or None, categories=categories, today=today,
                            initial=_initial(current, today))
    if request.method == "POST" and form.is_valid():
        services.observations_record(client=client, observed_on=form.cleaned_data["observed_on"],
                                     answers=form.answers(), current=current, by=request.user)
        messages.success(request, _("Demographics saved."))
        return redirect("outcomes:demographics", client_uuid=client.uuid)
    return render(request, "outcomes/demographics_form.html", {"client": client, "form": form})


def _initial(current: dict, today) -> dict:
    initial = {"observed_on": today}
    for question, obs in current.items():
        initial[f"{question}_state"] = DECLINED if obs.declined else ANSWERED
        if not obs.declined:
            initial[question] = obs.text or (obs.codes if question in demographics.MULTIPLE else obs.codes[0])
    return initial


@login_required
@serves("GET")
def demographics_report(request):
    """Answered / declined / not asked per question, and each category's count; status at intake vs now."""
    program = membership_for(request).program
    clients = Client.objects.visible_to(request.user).filter(program=program)
    log_access(request, "outcomes.demographics_report", action=AccessLog.Action.LIST, program_id=program.pk)
    return render(request, "outcomes/demographics_report.html", {
        "report": demographics.report(clients, demographics.category_labels(program.pk)),
        "changes": demographics.status_changes(clients, demographics.category_labels(program.pk)),
        "categories": Category.objects.for_program(program.pk)})

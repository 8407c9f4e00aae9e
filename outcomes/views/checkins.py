"""Check-ins: record one (on a phone, in under two minutes), read one, and the trend over time."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from clients.views.common import editable_client, scoped_client
from outcomes import schedule, services
from outcomes.forms import CheckInForm
from outcomes.models import CheckIn, Instrument, OutcomeSettings, Scale
from outcomes.sections import latest_answers, outcome_summary
from recovery.audit import log_access, serves
from recovery.http import create_page
from recovery.scoping import can_edit_participant

ALL_CHECKINS = 500


def _instrument(request, client, settings: OutcomeSettings) -> Instrument:
    """The instrument asked for (``?instrument=<uuid>``, one the program may use), else the scheduled one."""
    wanted = request.GET.get("instrument") or request.POST.get("instrument")
    usable = Instrument.objects.for_program(client.program_id).filter(is_active=True)
    if wanted:
        try:
            return get_object_or_404(usable, uuid=uuid.UUID(wanted))
        except ValueError:
            raise Http404 from None
    instrument = schedule.scheduled_instrument(settings)
    if instrument is None:
        raise Http404("No instrument is set up for this program.")
    return instrument


@login_required
@serves("GET", "POST")
def checkin_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    return create_page(request, lambda: _checkin_form(request, client), "outcomes/checkin_form.html",
                       lambda form: {"client": client, "scale": form.scale, "rule": form.scale.instrument.max_skipped},
                       create=lambda form: _record(request, client, form))


def _checkin_form(request, client) -> CheckInForm:
    """The form of the instrument asked for or scheduled (loaded after the repeat check), dated today."""
    settings = OutcomeSettings.of(client.program)
    scale = Scale.load(_instrument(request, client, settings))
    today = client.program.today()
    initial = {"taken_on": today, "occasion": schedule.occasion_for(client, settings, scale.instrument, today)}
    return CheckInForm(request.POST or None, scale=scale, today=today, initial=initial)


def _record(request, client, form: CheckInForm) -> str:
    data = form.cleaned_data
    checkin = services.checkin_record(client=client, scale=form.scale, answers=form.answers(),
                                      taken_on=data["taken_on"], occasion=data["occasion"], by=request.user)
    if checkin.score is not None:
        messages.success(request, _("Check-in saved: score %(score)s.") % {"score": checkin.score})
    else:
        messages.success(request, _("Check-in saved: no score (too many items skipped)."))
    return checkin.get_absolute_url()


@login_required
@serves("GET")
def checkin_detail(request, client_uuid: uuid.UUID, checkin_uuid: uuid.UUID):
    client = scoped_client(request, client_uuid)
    checkin = get_object_or_404(CheckIn.objects.visible_to(request.user).filter(client=client)
                                .select_related("instrument", "recorded_by"), uuid=checkin_uuid)
    scale = Scale.load(checkin.instrument)
    log_access(request, checkin, client_uuid=client.uuid, program_id=client.program_id)
    return render(request, "outcomes/checkin_detail.html", {
        "client": client, "checkin": checkin, "scale": scale, "answers": latest_answers(scale, checkin),
        "band": scale.band(checkin.score)})


@login_required
@serves("GET")
def checkin_list(request, client_uuid: uuid.UUID):
    """The trend of one instrument: chart, data table, latest answers; every check-in listed."""
    client = scoped_client(request, client_uuid)
    settings = OutcomeSettings.of(client.program)
    scale = Scale.load(_instrument(request, client, settings))
    summary = outcome_summary(client, scale, limit=ALL_CHECKINS)
    used = Instrument.objects.filter(checkins__client=client).distinct().order_by("name")
    log_access(request, client, client_uuid=client.uuid)
    return render(request, "outcomes/checkin_list.html", {
        "client": client, "section": {**summary, "client": client}, "instruments": list(used),
        "can_edit": can_edit_participant(request.user, client)})

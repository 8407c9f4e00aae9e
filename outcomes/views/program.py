"""Program admins: instruments (the shipped ones to read, the program's own to add and edit) and the
program's outcome settings. Pages under /program/."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outcomes.forms import InstrumentForm, ItemFormSet, OptionsFormSet, OutcomeSettingsForm, ThresholdFormSet
from outcomes.models import Instrument, OutcomeSettings, Scale
from recovery.audit import serves
from recovery.http import form_page
from recovery.middleware import membership_for
from recovery.models import Membership

ADMIN = Membership.Role.ADMIN
IN_USE = _("This instrument has check-ins: its items and scale stay as they are (make a new one to change them).")


@login_required
@serves("GET")
def instrument_list(request):
    program = membership_for(request, ADMIN).program
    instruments = Instrument.objects.for_program(program.pk).order_by("program_id", "name")
    return render(request, "outcomes/instrument_list.html", {"instruments": instruments})


def _formsets(request, instrument: Instrument):
    data = request.POST if request.method == "POST" else None
    return (ItemFormSet(data, instance=instrument, prefix="items"),
            OptionsFormSet(data, instance=instrument, prefix="options"),
            ThresholdFormSet(data, instance=instrument, prefix="thresholds"))


@login_required
@serves("GET", "POST")
def instrument_new(request):
    program = membership_for(request, ADMIN).program
    instrument = Instrument(program=program)
    return _instrument_form(request, instrument)


@login_required
@serves("GET", "POST")
def instrument_detail(request, instrument_uuid: uuid.UUID):
    """A shipped instrument is read here; a program's own is edited (its scale only while unused)."""
    program = membership_for(request, ADMIN).program
    instrument = get_object_or_404(Instrument.objects.for_program(program.pk), uuid=instrument_uuid)
    if instrument.program_id is None:
        return render(request, "outcomes/instrument_detail.html", {"scale": Scale.load(instrument)})
    return _instrument_form(request, instrument)


def _instrument_form(request, instrument: Instrument):
    in_use = bool(instrument.pk) and instrument.checkins.exists()
    form = InstrumentForm(request.POST or None, instance=instrument)
    formsets = () if in_use else _formsets(request, instrument)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        with transaction.atomic():
            saved = form.save()
            for formset in formsets:
                formset.instance = saved
                formset.save()
        messages.success(request, gettext("Instrument saved."))
        return redirect("outcomes:instrument_list")
    return render(request, "outcomes/instrument_form.html", {
        "form": form, "formsets": formsets, "instrument": instrument, "in_use": in_use, "in_use_text": IN_USE})


@login_required
@serves("GET", "POST")
def outcome_settings(request):
    program = membership_for(request, ADMIN).program
    instance = OutcomeSettings.of(program)
    form = OutcomeSettingsForm(request.POST or None, instance=instance)
    return form_page(request, form, "outcomes/settings.html", {"program": program}, save=form.save,
                     success=gettext("Outcome settings saved."), then="outcomes:settings")

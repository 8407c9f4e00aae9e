"""The fields of the note form that decide its units, read by the live estimate (``clients.views.units``)."""

from __future__ import annotations

from django import forms

from clients.forms.notes import SessionTimesForm
from clients.models import ServiceCode, SessionNote


class UnitsEstimateForm(SessionTimesForm):
    """Date, times or minutes, contact type and service code, as the note form cleans them."""

    contact_type = forms.ChoiceField(choices=SessionNote.ContactType.choices)
    service_code = forms.ModelChoiceField(queryset=ServiceCode.objects.all(), required=False)

"""The fields of the note form that decide its units, read by the live estimate (``clients.views.units``)."""

from __future__ import annotations

from django import forms

from clients.forms.common import TodayMixin
from clients.forms.notes import TimeInput, clean_session_length
from clients.models import ServiceCode, SessionNote
from clients.models.notes import MAX_DURATION_MINUTES
from recovery.fields import PastDateField


class UnitsEstimateForm(TodayMixin, forms.Form):
    """Date, times or minutes, contact type and service code, as the note form cleans them."""

    session_date = PastDateField()
    start_time = forms.TimeField(required=False, widget=TimeInput())
    end_time = forms.TimeField(required=False, widget=TimeInput())
    duration_minutes = forms.IntegerField(required=False, min_value=1, max_value=MAX_DURATION_MINUTES)
    contact_type = forms.ChoiceField(choices=SessionNote.ContactType.choices)
    service_code = forms.ModelChoiceField(queryset=ServiceCode.objects.all(), required=False)

    def clean(self):
        data = super().clean()
        clean_session_length(self, data)
        return data

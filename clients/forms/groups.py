"""The group session form: what every participant's note shares."""

from __future__ import annotations

from django import forms

from clients.forms.common import TodayMixin
from clients.forms.notes import TimeInput, clean_session_length, now_rounded
from clients.models import (
    Client,
    ServiceCode,
    SessionNote,
    SupportService,
)
from clients.models.notes import MAX_DURATION_MINUTES
from recovery.fields import PastDateField
from recovery.once import OnceMixin

GROUP_SIZE = "Choose between 2 and {most} participants."


class GroupForm(OnceMixin, TodayMixin, forms.Form):
    """One group session: what every participant's note shares; each note then gets its own response."""

    participants = forms.ModelMultipleChoiceField(queryset=Client.objects.none(), to_field_name="uuid",
                                                  widget=forms.CheckboxSelectMultiple,
                                                  label="Who took part")
    topic = forms.CharField(max_length=200, help_text="For example: coping with cravings over the holidays.")
    session_date = PastDateField(label="Date")
    start_time = forms.TimeField(label="Start time", required=False, widget=TimeInput())
    end_time = forms.TimeField(label="End time", required=False, widget=TimeInput())
    duration_minutes = forms.IntegerField(label="Minutes", required=False, min_value=1,
                                          max_value=MAX_DURATION_MINUTES,
                                          help_text="Or give the start and end times.")
    setting = forms.ChoiceField(choices=[("", "---------"), *SessionNote.Setting.choices], required=False)
    service_code = forms.ModelChoiceField(queryset=ServiceCode.objects.none(), required=False,
                                          empty_label="None: not billed")
    summary = forms.CharField(label="What happened in the group", widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Copied into each participant's note; add each one's response there.")
    services = forms.ModelMultipleChoiceField(queryset=SupportService.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple, label="Services provided")

    def __init__(self, *args, choosable, most: int, program_id: int, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.most = most
        self.fields["participants"].queryset = choosable
        self.fields["participants"].help_text = f"From 2 to {most} participants of your caseload."
        self.fields["service_code"].queryset = ServiceCode.objects.filter(is_active=True, program_id=program_id)
        self.fields["services"].queryset = SupportService.objects.filter(is_active=True, program_id=program_id)
        if not self.is_bound:
            self.initial.setdefault("session_date", self.today)
            if zone is not None:
                self.initial.setdefault("end_time", now_rounded(zone))
            self.initial.setdefault("service_code", ServiceCode.objects.filter(
                program_id=program_id, is_active=True, default_for=ServiceCode.DefaultFor.GROUP,
            ).values_list("pk", flat=True).first())

    def clean_participants(self):
        chosen = self.cleaned_data["participants"]
        if not 2 <= len(chosen) <= self.most:
            raise forms.ValidationError(GROUP_SIZE.format(most=self.most), code="size")
        return chosen

    def clean(self):
        data = super().clean()
        clean_session_length(self, data)
        return data

    def note_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("session_date", "start_time", "end_time", "duration_minutes",
                                              "setting", "service_code", "summary")}

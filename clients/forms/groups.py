"""The group session form: what every participant's note shares."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.forms.notes import SessionTimesForm, new_session_initial
from clients.models import Client, ServiceCode, SessionNote, SupportService
from recovery.once import OnceMixin

GROUP_SIZE = gettext_noop("Choose between 2 and {most} participants.")
RESPONSE_NEEDED = gettext_noop("Write this participant's response before signing, or save the notes as drafts.")
NOT_TICKED = gettext_noop("This participant is not ticked as taking part: tick them, or clear their response.")


class GroupForm(OnceMixin, SessionTimesForm):
    """One group session: what every participant's note shares; each note then gets its own response."""

    field_order = ["participants", "topic"]  # then the When (SessionTimesForm), then the rest
    participants = forms.ModelMultipleChoiceField(queryset=Client.objects.none(), to_field_name="uuid",
                                                  widget=forms.CheckboxSelectMultiple,
                                                  label=_("Who took part"))
    topic = forms.CharField(max_length=200, help_text=_("For example: coping with cravings over the holidays."))
    setting = forms.ChoiceField(choices=[("", "---------"), *SessionNote.Setting.choices], required=False)
    service_code = forms.ModelChoiceField(queryset=ServiceCode.objects.none(), required=False,
                                          empty_label=_("None: not billed"))
    summary = forms.CharField(label=_("What happened in the group"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Copied into each participant's note; add each one's response there."))
    services = forms.ModelMultipleChoiceField(queryset=SupportService.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple, label=_("Services provided"))

    def __init__(self, *args, choosable, most: int, program_id: int, zone=None, signing: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.most, self.signing = most, signing
        self.fields["participants"].queryset = choosable
        # Each participant's own response, on the same page (issue 15, point 8): one field per person the
        # user may write for, named by the participant's uuid (never their name).
        self.people = list(choosable)
        for person in self.people:
            self.fields[self.response_name(person)] = forms.CharField(
                label=gettext("%(name)s's response") % {"name": person.display_name}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["participants"].help_text = gettext("From 2 to %(most)s participants of your caseload.") % {
            "most": most}
        self.fields["service_code"].queryset = ServiceCode.objects.filter(is_active=True, program_id=program_id)
        self.fields["services"].queryset = SupportService.objects.filter(is_active=True, program_id=program_id)
        if not self.is_bound:
            new_session_initial(self, program_id=program_id, zone=zone, default_for=ServiceCode.DefaultFor.GROUP)

    def clean_participants(self):
        chosen = self.cleaned_data["participants"]
        if not 2 <= len(chosen) <= self.most:
            raise forms.ValidationError(gettext(GROUP_SIZE).format(most=self.most), code="size")
        return chosen

    @staticmethod
    def response_name(person: Client) -> str:
        return f"response_{person.uuid.hex}"

    def rows(self) -> list[tuple]:
        """Each participant who may be chosen: their checkbox and their response field."""
        boxes = {str(box.data["value"]): box for box in self["participants"]}
        return [(boxes[str(person.uuid)], self[self.response_name(person)]) for person in self.people]

    def clean(self):
        data = super().clean()  # the When first (SessionTimesForm)
        chosen = {person.pk for person in data.get("participants") or ()}
        for person in self.people:
            name = self.response_name(person)
            text = (data.get(name) or "").strip()
            if text and person.pk not in chosen and "participants" in data:
                self.add_error(name, gettext(NOT_TICKED))
            elif self.signing and person.pk in chosen and not text:
                self.add_error(name, gettext(RESPONSE_NEEDED))
        return data

    def responses(self) -> dict[int, str]:
        """Each chosen participant's response, by participant id."""
        return {person.pk: self.cleaned_data[self.response_name(person)].strip()
                for person in self.cleaned_data["participants"]}

    def note_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("session_date", "start_time", "end_time", "duration_minutes",
                                              "setting", "service_code", "summary")}

"""Forms of session notes and addenda.

The note form is built for a phone right after a session: the date is today, the end time is now, the
contact is individual with the usual service code, the participant's active goals are checkboxes, and
only the date, the length and "what happened" are required.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.forms.common import TodayMixin
from clients.models import (
    Client,
    FollowUp,
    Goal,
    NoteAddendum,
    ServiceCode,
    SessionNote,
    SupportService,
)
from clients.models.notes import MAX_DURATION_MINUTES
from clients.selectors import goals_for
from recovery.fields import DueDateField, PastDateField
from recovery.once import OnceMixin

END_BEFORE_START = gettext_noop("The end time is before the start time.")
LENGTH_NEEDED = gettext_noop("Give the start and end times, or how many minutes the session lasted.")
TIMES_AND_MINUTES_DISAGREE = gettext_noop(
    "The start and end times make {minutes} minutes: correct the times or the minutes.")
PAST_MIDNIGHT = gettext_noop(
    "With these minutes the session would cross midnight: give the start and end times of the day.")
CRISIS_NEEDS_DESCRIPTION = gettext_noop("Say briefly what the crisis is: your supervisor is told at once.")
FOLLOW_UP_BEFORE_SESSION = gettext_noop("The follow-up date is before the session.")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def now_rounded(zone, step: int = 5) -> datetime.time:
    """The time now where the program works, rounded down to ``step`` minutes."""
    now = datetime.datetime.now(zone)
    return now.replace(minute=now.minute - now.minute % step, second=0, microsecond=0).time()


def _minutes_between(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def clean_session_length(form: forms.Form, data: dict) -> None:
    """Fill in whichever of start, end and minutes is missing; say at the field what does not add up."""
    if {"start_time", "end_time", "duration_minutes"} & set(form.errors):
        return
    start, end, minutes = data.get("start_time"), data.get("end_time"), data.get("duration_minutes")
    if start and end:
        between = _minutes_between(start, end)
        if between <= 0:
            form.add_error("end_time", forms.ValidationError(gettext(END_BEFORE_START), code="before_start"))
        elif minutes and minutes != between:
            form.add_error("duration_minutes", forms.ValidationError(
                gettext(TIMES_AND_MINUTES_DISAGREE).format(minutes=between), code="disagree"))
        else:
            data["duration_minutes"] = between
    elif minutes:
        base = start or end
        if base is not None:
            moment = datetime.datetime.combine(datetime.date(2000, 1, 1), base)
            other = moment + datetime.timedelta(minutes=minutes if start else -minutes)
            if other.date() != moment.date() or other.time() == datetime.time(0):
                form.add_error("duration_minutes", forms.ValidationError(gettext(PAST_MIDNIGHT), code="midnight"))
            else:
                data["end_time" if start else "start_time"] = other.time()
    else:
        form.add_error("duration_minutes", forms.ValidationError(gettext(LENGTH_NEEDED), code="required"))


class SessionTimesForm(TodayMixin, forms.Form):
    """A session's "When" (templates/includes/when_fieldset.html): the date, and the start and end times or the
    minutes; cleaning fills in whichever is missing. The group form and the live units estimate build on it;
    the note form has the same fields from its model."""

    session_date = PastDateField(label=_("Date"))
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1,
                                          max_value=MAX_DURATION_MINUTES,
                                          help_text=_("Or give the start and end times."))

    def clean(self):
        data = super().clean()
        clean_session_length(self, data)
        return data


def new_session_initial(form: forms.BaseForm, *, program_id: int, zone, default_for: str) -> None:
    """A new note's (or group's) starting values: today, ending now where the program works (rounded), and the
    program's usual service code for this kind of contact."""
    form.initial.setdefault("session_date", form.today)
    if zone is not None:
        form.initial.setdefault("end_time", now_rounded(zone))
    form.initial.setdefault("service_code", ServiceCode.objects.filter(
        program_id=program_id, is_active=True, default_for=default_for).values_list("pk", flat=True).first())


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.text if len(obj.text) <= 120 else f"{obj.text[:117]}…"


class FollowUpChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: FollowUp) -> str:
        return f"{obj.purpose} (due {obj.due_on:%b %-d})"


class NoteForm(TodayMixin, forms.ModelForm):
    """A draft note about ``client`` (None: the participant is chosen in the form, among ``choosable``)."""

    participant = forms.ModelChoiceField(queryset=Client.objects.none(), to_field_name="uuid",
                                         empty_label=_("Choose a participant"))
    goals = GoalChoiceField(queryset=Goal.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
                            label=_("Goals worked on"))
    services = forms.ModelMultipleChoiceField(queryset=SupportService.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple, label=_("Services provided"))
    completes = FollowUpChoiceField(queryset=FollowUp.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple,
                                    label=_("Follow-ups this session took care of"))

    class Meta:
        model = SessionNote
        fields = ["session_date", "start_time", "end_time", "duration_minutes", "contact_type", "setting",
                  "service_code", "summary", "response", "next_steps", "follow_up_on", "follow_up_purpose",
                  "crisis_flag",
                  "crisis_description"]
        widgets = {
            "start_time": TimeInput(), "end_time": TimeInput(),
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1,
                                                         "max": MAX_DURATION_MINUTES}),
            "summary": forms.Textarea(attrs={"rows": 3}), "response": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"session_date": PastDateField, "follow_up_on": DueDateField}
        labels = {"duration_minutes": _("Minutes"), "crisis_flag": _("This was a crisis")}
        help_texts = {
            "duration_minutes": _("Or give the start and end times: the minutes are worked out."),
            "summary": _("What you did together and why, in plain words."),
            "follow_up_on": _("Adds a follow-up to your day on that date."),
            "follow_up_purpose": _("What you will follow up on: it shows on the follow-up and in your day."),
        }

    def __init__(self, *args, client: Client | None, program_id: int, choosable=None, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program_id = program_id  # the service codes and services offered are this program's
        self.fields["duration_minutes"].required = False  # worked out from the times when they are given
        self.chosen = client
        if client is None and choosable is not None:
            self.fields["participant"].queryset = choosable
            self.chosen = self._chosen_client(choosable)
            self.fields["participant"].widget.attrs.update({
                "hx-get": reverse("clients:note_parts"), "hx-trigger": "change", "hx-target": "#participant-parts",
                "hx-swap": "innerHTML", "hx-sync": "this:replace"})
        else:
            del self.fields["participant"]
        self._set_choices(zone)

    def _chosen_client(self, choosable) -> Client | None:
        key = self.data.get(self.add_prefix("participant")) if self.is_bound else self.initial.get("participant")
        if not key:
            return None
        try:
            return choosable.filter(uuid=key).first()
        except (ValueError, forms.ValidationError):
            return None

    def _set_choices(self, zone) -> None:
        note = self.instance if self.instance.pk else None
        codes = Q(is_active=True) | Q(pk=note.service_code_id) if note and note.service_code_id else Q(is_active=True)
        self.fields["service_code"].queryset = ServiceCode.objects.filter(codes, program_id=self.program_id)
        self.fields["service_code"].empty_label = gettext("None: not billed")
        kept = Q(is_active=True) | Q(pk__in=note.note_services.values("service_id")) if note else Q(is_active=True)
        self.fields["services"].queryset = SupportService.objects.filter(kept, program_id=self.program_id)
        if self.chosen is not None:
            self.fields["goals"].queryset = goals_for(self.chosen, note)
            self.fields["completes"].queryset = FollowUp.objects.filter(client=self.chosen).open().order_by("due_on")
        if note:
            del self.fields["completes"]  # follow-ups are ticked off when the note is written
            self.initial.setdefault("goals", [g.goal_id for g in note.note_goals.all()])
            self.initial.setdefault("services", [s.service_id for s in note.note_services.all()])
        elif not self.is_bound:
            new_session_initial(self, program_id=self.program_id, zone=zone,
                                default_for=ServiceCode.DefaultFor.INDIVIDUAL)

    def clean(self):
        data = super().clean()
        clean_session_length(self, data)
        if data.get("crisis_flag") and not data.get("crisis_description", "").strip():
            self.add_error("crisis_description", forms.ValidationError(gettext(CRISIS_NEEDS_DESCRIPTION),
                                                                       code="required"))
        elif not data.get("crisis_flag"):
            data["crisis_description"] = ""
        if not data.get("follow_up_on"):
            data["follow_up_purpose"] = ""  # no follow-up asked for: nothing for it to be about
        day, follow_up = data.get("session_date"), data.get("follow_up_on")
        if day and follow_up and follow_up < day:
            self.add_error("follow_up_on", forms.ValidationError(gettext(FOLLOW_UP_BEFORE_SESSION),
                                                                 code="before_session"))
        return data


class NewNoteForm(OnceMixin, NoteForm):
    """The create form: it carries a one-time token, so a double submit writes one note."""


class AddendumForm(OnceMixin, forms.ModelForm):
    class Meta:
        model = NoteAddendum
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": _("What to correct or add. The note itself stays as it was signed.")}

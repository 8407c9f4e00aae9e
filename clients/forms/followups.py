"""Forms of follow-ups: add, change, mark done, cancel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.forms.common import TodayMixin
from clients.models import (
    FollowUp,
    SessionNote,
)
from recovery.fields import DueDateField
from recovery.once import OnceMixin

CANCEL_NEEDS_REASON = gettext_noop("Say why this follow-up is no longer needed.")
DUE_IN_PAST = gettext_noop("The due date has passed: choose today or a later day.")


class FollowUpForm(TodayMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["due_on", "purpose", "assignee"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"due_on": DueDateField}

    def __init__(self, *args, assignable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable
        self.fields["assignee"].empty_label = None

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value < self.today and value != self.initial.get("due_on"):
            raise forms.ValidationError(gettext(DUE_IN_PAST), code="past")
        return value


class NewFollowUpForm(OnceMixin, FollowUpForm):
    pass


class NoteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SessionNote) -> str:
        return f"{obj.session_date:%b %-d, %Y} · {obj.get_contact_type_display()}"


class FollowUpDoneForm(forms.Form):
    note = NoteChoiceField(queryset=SessionNote.objects.none(), required=False, to_field_name="uuid",
                           label=_("Done in the session of"), empty_label=_("No note: just mark it done"))

    def __init__(self, *args, notes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].queryset = notes


class FollowUpCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is no longer needed"), max_length=300,
                             error_messages={"required": _(CANCEL_NEEDS_REASON)})

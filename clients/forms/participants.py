"""Forms about a participant: their record, intake (with the duplicate check), discharge, re-enrolment
and assignment.
"""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import BooleanField, Case, Value, When
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.forms.common import TodayMixin
from clients.models import Client, DischargeReason, Episode
from clients.names import name_key, phone_digits, similar_names
from clients.services.participants import caseload_label
from recovery.fields import (
    BirthDateField,
    PastDateField,
)
from recovery.once import OnceMixin
from recovery.scoping import participant_q

DUPLICATE_NEEDS_REASON = gettext_noop("A participant with this name and date of birth is already enrolled. Open "
                                      "their record, or say why this is a different person.")
NEAR_MATCH_NEEDS_CONFIRMATION = gettext_noop("Someone in the program looks like this person. Open their record, or "
                                             "confirm this is someone else.")
SAME_NAME_AND_BIRTH_DATE = gettext_noop("same name and date of birth")
HIDDEN_MATCH_NOTED = gettext_noop("A possible match on a caseload the enrolling person cannot see: for a "
                                  "supervisor or admin to check.")
SAME_NAME = gettext_noop("same name, another date of birth")
SIMILAR_NAME = gettext_noop("same date of birth, a similar name")
SAME_PHONE = gettext_noop("same phone number")
MATCHES_SHOWN = 50  # candidates read at most (same birth date in a large program: a handful)


def match_reason(candidate: Client, *, key: str, birth_date: datetime.date, digits: str) -> str | None:
    """Why ``candidate`` (from ``Client.objects.near_duplicates``) may be the person being enrolled, or None."""
    if candidate.name_key == key:
        return SAME_NAME_AND_BIRTH_DATE if candidate.birth_date == birth_date else SAME_NAME
    if candidate.birth_date == birth_date and similar_names(key, candidate.name_key):
        return SIMILAR_NAME
    if digits and phone_digits(candidate.phone) == digits:
        return SAME_PHONE
    return None


class CaseloadChoiceField(forms.ModelChoiceField):
    """Staff to carry a participant, each shown with their caseload size (``assignable_staff_with_caseloads``)."""

    def label_from_instance(self, obj) -> str:
        return caseload_label(obj)


class ClientForm(TodayMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = ["full_name", "preferred_name", "pronouns", "preferred_language", "birth_date", "phone", "email",
                  "address",
                  "preferred_contact_method", "preferred_contact_times", "emergency_contact_name",
                  "emergency_contact_relationship", "emergency_contact_phone"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"birth_date": BirthDateField}

    layout = [
        Fieldset(_("About them"), "full_name", "preferred_name", "pronouns", "preferred_language", "birth_date"),
        Fieldset("How to reach them", "phone", "email", "address", "preferred_contact_method",
                 "preferred_contact_times"),
        Fieldset("Emergency contact", "emergency_contact_name", "emergency_contact_relationship",
                 "emergency_contact_phone"),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form tag carries the token
        self.helper.layout = Layout(*self.layout)
        self.fields["phone"].widget.input_type = "tel"
        # A form posted without it (an older page, an import) keeps the language the record has.
        self.fields["preferred_language"].required = False

    def clean_preferred_language(self) -> str:
        return self.cleaned_data.get("preferred_language") or self.instance.preferred_language or "en"


class IntakeForm(OnceMixin, ClientForm):
    """A new participant, their first episode and (for a supervisor) who will carry them."""

    started_on = PastDateField(label=_("Intake date"))
    referral_source = forms.ChoiceField(choices=[("", "---------"), *Episode.ReferralSource.choices])
    referral_detail = forms.CharField(label=_("Referred by"), max_length=200, required=False,
                                      help_text=_("Who referred them, if known."))
    assign_to = CaseloadChoiceField(queryset=None, required=False, label=_("Peer specialist"),
                                    empty_label=_("Nobody yet: needs assignment"))
    duplicate_reason = forms.CharField(label=_("Why this is a different person"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    not_the_same = forms.BooleanField(label=_("I checked: none of them is the person I am enrolling"), required=False)

    def __init__(self, *args, user, program_id: int, assignable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.program_id = user, program_id
        self.matches: list[Client] = []
        layout = [*self.layout, Fieldset("Episode of service", "started_on", "referral_source", "referral_detail")]
        if assignable is None:
            del self.fields["assign_to"]
        else:
            self.fields["assign_to"].queryset = assignable
            layout.append(Fieldset("Caseload", "assign_to"))
        layout.append("form_token")
        self.helper.layout = Layout(*layout)

    def clean(self):
        data = super().clean()
        if self.errors.get("full_name") or self.errors.get("birth_date"):
            return data
        self.matches = self.find_matches(data["full_name"], data["birth_date"], data.get("phone", ""))
        if not self.matches:
            return data
        # A warning, not a wall: the same name and birth date needs a reason (kept on the record, which then
        # shows "Possible duplicate"); a near match only a tick that the user looked.
        if self.exact_match:
            if not data.get("duplicate_reason", "").strip():
                self.add_error("duplicate_reason", forms.ValidationError(gettext(DUPLICATE_NEEDS_REASON),
                                                                         code="duplicate"))
        elif not data.get("not_the_same") and not data.get("duplicate_reason", "").strip():
            self.add_error("not_the_same", forms.ValidationError(gettext(NEAR_MATCH_NEEDS_CONFIRMATION),
                                                                 code="near_match"))
        elif not data.get("duplicate_reason", "").strip() and any(
                m.match_reason == SAME_NAME_AND_BIRTH_DATE for m in self.matches):
            # The same name and birth date on a caseload this user cannot see: they were told only that a
            # match exists; the record says so ("Possible duplicate") for whoever can check.
            data["duplicate_reason"] = gettext(HIDDEN_MATCH_NOTED)
        return data

    @property
    def hidden_matches(self) -> bool:
        """Matches this user may not open: the page says only that one exists, never who or why."""
        return any(not m.in_scope for m in self.matches)

    @property
    def exact_match(self) -> bool:
        """The same name and birth date on a record this user may open (then a reason is asked)."""
        return any(m.match_reason == SAME_NAME_AND_BIRTH_DATE and m.in_scope for m in self.matches)

    @property
    def matches_in_scope(self) -> list[Client]:
        return [m for m in self.matches if m.in_scope]

    def find_matches(self, full_name: str, birth_date: datetime.date, phone: str) -> list[Client]:
        """Possible duplicates with their ``match_reason``, each marked ``in_scope`` when this user may open it
        (one query: the page names only those; the others are counted, never described)."""
        scope = Case(When(participant_q(self.user), then=Value(True)), default=Value(False),
                     output_field=BooleanField())
        candidates = Client.objects.near_duplicates(program_id=self.program_id, full_name=full_name,
                                                    birth_date=birth_date, phone=phone).in_use().annotate(
            in_scope=scope)
        key, digits, matches = name_key(full_name), phone_digits(phone), []
        for candidate in candidates.order_by("name_key", "pk")[:MATCHES_SHOWN]:
            candidate.match_reason = match_reason(candidate, key=key, birth_date=birth_date, digits=digits)
            if candidate.match_reason:
                matches.append(candidate)
        return matches


class DischargeForm(TodayMixin, forms.ModelForm):
    discharge_reason = forms.ChoiceField(label=_("Discharge reason"))

    class Meta:
        model = Episode
        fields = ["discharged_on", "discharge_reason", "discharge_note"]
        widgets = {"discharge_note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"discharged_on": PastDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discharged_on"].required = True
        # The program's reasons still offered for new discharges.
        reasons = DischargeReason.objects.filter(program_id=self.instance.client.program_id, is_active=True)
        self.fields["discharge_reason"].choices = [("", "---------"), *reasons.values_list("code", "name")]

    def clean_discharged_on(self):
        value = self.cleaned_data["discharged_on"]
        if value < self.instance.started_on:
            raise forms.ValidationError(
                gettext("The episode began on %(date)s: the discharge date cannot be earlier.")
                % {"date": f"{self.instance.started_on:%Y-%m-%d}"}, code="before_intake")
        return value


class ReenrolForm(OnceMixin, TodayMixin, forms.ModelForm):
    class Meta:
        model = Episode
        fields = ["started_on", "referral_source", "referral_detail"]
        field_classes = {"started_on": PastDateField}


class AssignForm(forms.Form):
    peer = CaseloadChoiceField(queryset=None, required=False, label=_("Peer specialist"),
                               empty_label=_("Nobody: needs assignment"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Kept in the assignment history."))

    def __init__(self, *args, assignable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = assignable

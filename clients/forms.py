"""Forms of the clients app. Checks that need "today" take the program's date (``Program.today()``)."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import BooleanField, Case, Q, Value, When

from clients.models import ActionStep, Client, Consent, Dimension, Episode, Goal, GoalProgress, RecoveryPlan
from recovery.fields import (  # the date messages are re-exported: tests check them here
    BIRTH_DATE_IN_FUTURE,  # noqa: F401
    BIRTH_DATE_TOO_EARLY,  # noqa: F401
    DATE_IN_FUTURE,  # noqa: F401
    BirthDateField,
    DueDateField,
    ExpiryDateField,
    PastDateField,
    PlanDateField,
)
from recovery.once import OnceMixin
from recovery.scoping import participant_q
from recovery.uploads import validate_document

EXPIRY_BEFORE_SIGNATURE = "The consent cannot expire before the date it was signed."
EXPIRY_DATE_NEEDED = "Give the expiry date, or choose the event that ends the consent."
NO_EXPIRY_ONLY_FOR_TPO = "Only a consent for treatment, payment and health care operations may have no expiry."
EXPIRY_EVENT_NEEDED = "Describe the event that ends the consent."
REDISCLOSURE_NEEDED = "A consent for treatment, payment and operations must say recipients may redisclose."
RIGHT_TO_REVOKE_NEEDED = "The participant must be told of their right to revoke and how."
REVOKED_BEFORE_SIGNED = "The revocation date is before the consent was signed."
REVIEW_BEFORE_START = "The review date is before the plan date."
AGREED_BEFORE_START = "The participant cannot agree to the plan before the plan date."
DUPLICATE_NEEDS_REASON = ("A participant with this name and date of birth is already enrolled. Open their "
                          "record, or say why this is a different person.")
OTHER_NEEDS_NAME = "Say who else will do this."
NEED_A_DIMENSION = "Choose at least one dimension."


class TodayMixin:
    """Forms that compare dates with today in the program's time zone take ``today=``."""

    def __init__(self, *args, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)


class ClientForm(TodayMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = ["full_name", "preferred_name", "pronouns", "birth_date", "phone", "email", "address",
                  "preferred_contact_method", "preferred_contact_times", "emergency_contact_name",
                  "emergency_contact_relationship", "emergency_contact_phone"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"birth_date": BirthDateField}

    layout = [
        Fieldset("About them", "full_name", "preferred_name", "pronouns", "birth_date"),
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


class IntakeForm(OnceMixin, ClientForm):
    """A new participant, their first episode and (for a supervisor) who will carry them."""

    started_on = PastDateField(label="Intake date")
    referral_source = forms.ChoiceField(choices=[("", "---------"), *Episode.ReferralSource.choices])
    referral_detail = forms.CharField(label="Referred by", max_length=200, required=False,
                                      help_text="Who referred them, if known.")
    assign_to = forms.ModelChoiceField(queryset=None, required=False, label="Peer specialist",
                                       empty_label="Nobody yet: needs assignment")
    duplicate_reason = forms.CharField(label="Why this is a different person", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

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
        self.matches = self.find_matches(data["full_name"], data["birth_date"])
        if self.matches and not data.get("duplicate_reason", "").strip():
            self.add_error("duplicate_reason", forms.ValidationError(DUPLICATE_NEEDS_REASON, code="duplicate"))
        return data

    def find_matches(self, full_name: str, birth_date: datetime.date) -> list[Client]:
        """Possible duplicates, each marked ``in_scope`` when this user may open it (one query)."""
        scope = Case(When(participant_q(self.user), then=Value(True)), default=Value(False),
                     output_field=BooleanField())
        return list(Client.objects.possible_duplicates(program_id=self.program_id, full_name=full_name,
                                                       birth_date=birth_date).annotate(in_scope=scope))


class DischargeForm(TodayMixin, forms.ModelForm):
    class Meta:
        model = Episode
        fields = ["discharged_on", "discharge_reason", "discharge_note"]
        widgets = {"discharge_note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"discharged_on": PastDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discharged_on"].required = True
        self.fields["discharge_reason"].required = True

    def clean_discharged_on(self):
        value = self.cleaned_data["discharged_on"]
        if value < self.instance.started_on:
            raise forms.ValidationError(f"The episode began on {self.instance.started_on:%Y-%m-%d}: the discharge "
                                        "date cannot be earlier.", code="before_intake")
        return value


class ReenrolForm(OnceMixin, TodayMixin, forms.ModelForm):
    class Meta:
        model = Episode
        fields = ["started_on", "referral_source", "referral_detail"]
        field_classes = {"started_on": PastDateField}


class AssignForm(forms.Form):
    peer = forms.ModelChoiceField(queryset=None, required=False, label="Peer specialist",
                                  empty_label="Nobody: needs assignment")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="Kept in the assignment history.")

    def __init__(self, *args, assignable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = assignable


class PlanEditForm(TodayMixin, forms.ModelForm):
    """A current plan's dates and texts; its plan date is fixed (a new version gets a new one)."""

    class Meta:
        model = RecoveryPlan
        fields = ["review_on", "agreed_on", "strengths", "backup_plan"]
        widgets = {"strengths": forms.Textarea(attrs={"rows": 3}), "backup_plan": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"started_on": PlanDateField, "review_on": PlanDateField, "agreed_on": PastDateField}

    def clean(self):
        data = super().clean()
        started = data.get("started_on") or self.instance.started_on
        if started and data.get("review_on") and data["review_on"] < started:
            self.add_error("review_on", forms.ValidationError(REVIEW_BEFORE_START, code="before_start"))
        if started and data.get("agreed_on") and data["agreed_on"] < started:
            self.add_error("agreed_on", forms.ValidationError(AGREED_BEFORE_START, code="before_start"))
        return data


class PlanForm(OnceMixin, PlanEditForm):
    class Meta(PlanEditForm.Meta):
        fields = ["started_on", "review_on", "agreed_on", "strengths", "backup_plan"]


class DimensionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Dimension) -> str:
        return f"{obj.name} ({'recovery' if obj.framework == Dimension.Framework.RECOVERY else 'wellness'})"


class GoalEditForm(forms.ModelForm):
    dimensions = DimensionChoiceField(queryset=Dimension.objects.filter(is_active=True),
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": NEED_A_DIMENSION},
                                      help_text="SAMHSA's four dimensions of recovery and eight dimensions of "
                                                "wellness.")

    class Meta:
        model = Goal
        fields = ["text", "dimensions", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": "Write it the way the participant says it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A goal keeps the dimensions it was tagged with even if an admin has since retired one.
            self.fields["dimensions"].queryset = Dimension.objects.filter(
                Q(is_active=True) | Q(pk__in=self.instance.goal_dimensions.values("dimension_id")))


class GoalForm(OnceMixin, GoalEditForm):
    class Meta(GoalEditForm.Meta):
        fields = ["text", "dimensions"]


class ActionStepEditForm(TodayMixin, forms.ModelForm):
    class Meta:
        model = ActionStep
        fields = ["description", "who", "who_detail", "due_on", "done_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"due_on": DueDateField, "done_on": PastDateField}

    def clean(self):
        data = super().clean()
        if data.get("who") == ActionStep.Who.OTHER and not data.get("who_detail", "").strip():
            self.add_error("who_detail", forms.ValidationError(OTHER_NEEDS_NAME, code="required"))
        return data


class ActionStepForm(OnceMixin, ActionStepEditForm):
    class Meta(ActionStepEditForm.Meta):
        fields = ["description", "who", "who_detail", "due_on"]


class GoalProgressForm(OnceMixin, TodayMixin, forms.ModelForm):
    class Meta:
        model = GoalProgress
        fields = ["noted_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"noted_on": PastDateField}


class ConsentForm(OnceMixin, TodayMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["discloser", "information", "recipients", "purpose", "is_tpo", "redisclosure_notice",
                  "right_to_revoke_explained", "expiry_event", "expires_on", "expiry_event_detail", "signed_on",
                  "signature_method", "scan"]
        widgets = {"information": forms.Textarea(attrs={"rows": 2}), "recipients": forms.Textarea(attrs={"rows": 2}),
                   "purpose": forms.Textarea(attrs={"rows": 2}),
                   "scan": forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}
        help_texts = {"scan": "PDF, PNG or JPEG, up to 10 MB. You can add it later."}
        field_classes = {"expires_on": ExpiryDateField, "signed_on": PastDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"].validators.append(validate_document)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("What may be shared, with whom, and why", "discloser", "information", "recipients", "purpose",
                     "is_tpo", "redisclosure_notice"),
            Fieldset("Expiry and revocation", "right_to_revoke_explained", "expiry_event", "expires_on",
                     "expiry_event_detail"),
            Fieldset("Signature", "signed_on", "signature_method", "scan"),
            "form_token",
        )

    def clean_right_to_revoke_explained(self):
        if not self.cleaned_data["right_to_revoke_explained"]:
            raise forms.ValidationError(RIGHT_TO_REVOKE_NEEDED, code="required")
        return True

    def clean(self):
        data = super().clean()
        event, expires, signed = data.get("expiry_event"), data.get("expires_on"), data.get("signed_on")
        if event == Consent.ExpiryEvent.DATE and not expires:
            self.add_error("expires_on", forms.ValidationError(EXPIRY_DATE_NEEDED, code="required"))
        if event == Consent.ExpiryEvent.NONE and not data.get("is_tpo"):
            self.add_error("expiry_event", forms.ValidationError(NO_EXPIRY_ONLY_FOR_TPO, code="not_tpo"))
        if event == Consent.ExpiryEvent.OTHER and not data.get("expiry_event_detail", "").strip():
            self.add_error("expiry_event_detail", forms.ValidationError(EXPIRY_EVENT_NEEDED, code="required"))
        if event != Consent.ExpiryEvent.DATE and expires and "expires_on" not in self.errors:
            data["expires_on"] = None  # the event, not a stray date, ends this consent
        elif expires and signed and expires < signed:
            self.add_error("expires_on", forms.ValidationError(EXPIRY_BEFORE_SIGNATURE, code="before_signature"))
        if data.get("is_tpo") and not data.get("redisclosure_notice"):
            self.add_error("redisclosure_notice", forms.ValidationError(REDISCLOSURE_NEEDED, code="required"))
        return data


class ConsentRevokeForm(TodayMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["revoked_on", "revocation_method", "revocation_note"]
        widgets = {"revocation_note": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"revoked_on": PastDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoked_on"].required = True
        self.fields["revocation_method"].required = True

    def clean_revoked_on(self):
        value = self.cleaned_data["revoked_on"]
        if value < self.instance.signed_on:
            raise forms.ValidationError(REVOKED_BEFORE_SIGNED, code="before_signature")
        return value


class ConsentScanForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["scan"]
        widgets = {"scan": forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}
        help_texts = {"scan": "PDF, PNG or JPEG, up to 10 MB."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"].required = True
        self.fields["scan"].validators.append(validate_document)


UNASSIGNED = 0  # the peer filter's value for "needs assignment"


class CaseloadFilterForm(forms.Form):
    """The caseload page's search and filters. Unknown values are ignored, never an error page.

    Posted, never sent in a URL: the results page carries the filters and a token for the searched name
    (clients.views.caseload), so no name reaches a server or access log.
    """

    q = forms.CharField(label="Search by name", required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("active", "Enrolled"), ("discharged", "Discharged"),
                                                        ("all", "All")])
    consent = forms.ChoiceField(label="Consent", required=False,
                                choices=[("", "Any"), *Client.ConsentStatus.choices])
    review = forms.ChoiceField(label="Plan review", required=False,
                               choices=[("", "Any"), ("due", "Due soon, overdue or no plan")])
    peer = forms.TypedChoiceField(label="Peer specialist", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, peers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if peers is None:
            del self.fields["peer"]
        else:
            self.fields["peer"].choices = [("", "Everyone you can see"), (UNASSIGNED, "Needs assignment"),
                                           *((p.pk, p.full_name) for p in peers)]

    def filters(self) -> dict:
        """The valid filters (an invalid field falls back to its default)."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        data["status"] = data.get("status") or "active"
        return data

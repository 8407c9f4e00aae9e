"""Forms of consents to disclose: record, revoke, add the signed scan."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.forms.common import TodayMixin
from clients.models import Consent
from recovery.fields import (
    PastDateField,
    RecordDateField,
)
from recovery.forms import shown_when
from recovery.once import OnceMixin
from recovery.uploads import validate_document

EXPIRY_BEFORE_SIGNATURE = gettext_noop("The consent cannot expire before the date it was signed.")
EXPIRY_DATE_NEEDED = gettext_noop("Give the expiry date, or choose the event that ends the consent.")
NO_EXPIRY_ONLY_FOR_TPO = gettext_noop(
    "Only a consent for treatment, payment and health care operations may have no expiry.")
EXPIRY_EVENT_NEEDED = gettext_noop("Describe the event that ends the consent.")
REDISCLOSURE_NEEDED = gettext_noop(
    "A consent for treatment, payment and operations must say recipients may redisclose.")
RIGHT_TO_REVOKE_NEEDED = gettext_noop("The participant must be told of their right to revoke and how.")
REVOKED_BEFORE_SIGNED = gettext_noop("The revocation date is before the consent was signed.")


class ConsentForm(OnceMixin, TodayMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["discloser", "information", "recipients", "purpose", "is_tpo", "redisclosure_notice",
                  "right_to_revoke_explained", "expiry_event", "expires_on", "expiry_event_detail", "signed_on",
                  "signature_method", "scan"]
        widgets = {"information": forms.Textarea(attrs={"rows": 2}), "recipients": forms.Textarea(attrs={"rows": 2}),
                   "purpose": forms.Textarea(attrs={"rows": 2}),
                   "scan": forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}
        help_texts = {"scan": _("PDF, PNG or JPEG, up to 10 MB. You can add it later.")}
        field_classes = {"expires_on": RecordDateField, "signed_on": PastDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"].validators.append(validate_document)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("What may be shared, with whom, and why", "discloser", "information", "recipients", "purpose",
                     "is_tpo", "redisclosure_notice"),
            Fieldset("Expiry and revocation", "right_to_revoke_explained", "expiry_event",
                     shown_when("expiry_event", Consent.ExpiryEvent.DATE, "expires_on"),
                     shown_when("expiry_event", Consent.ExpiryEvent.OTHER, "expiry_event_detail")),
            Fieldset("Signature", "signed_on", "signature_method", "scan"),
            "form_token",
        )

    def clean_right_to_revoke_explained(self):
        if not self.cleaned_data["right_to_revoke_explained"]:
            raise forms.ValidationError(gettext(RIGHT_TO_REVOKE_NEEDED), code="required")
        return True

    def clean(self):
        data = super().clean()
        event, expires, signed = data.get("expiry_event"), data.get("expires_on"), data.get("signed_on")
        if event == Consent.ExpiryEvent.DATE and not expires:
            self.add_error("expires_on", forms.ValidationError(gettext(EXPIRY_DATE_NEEDED), code="required"))
        if event == Consent.ExpiryEvent.NONE and not data.get("is_tpo"):
            self.add_error("expiry_event", forms.ValidationError(gettext(NO_EXPIRY_ONLY_FOR_TPO), code="not_tpo"))
        if event == Consent.ExpiryEvent.OTHER and not data.get("expiry_event_detail", "").strip():
            self.add_error("expiry_event_detail", forms.ValidationError(gettext(EXPIRY_EVENT_NEEDED), code="required"))
        if event != Consent.ExpiryEvent.DATE and expires and "expires_on" not in self.errors:
            data["expires_on"] = None  # the event, not a stray date, ends this consent
        elif expires and signed and expires < signed:
            self.add_error("expires_on", forms.ValidationError(gettext(EXPIRY_BEFORE_SIGNATURE),
                                                               code="before_signature"))
        if data.get("is_tpo") and not data.get("redisclosure_notice"):
            self.add_error("redisclosure_notice", forms.ValidationError(gettext(REDISCLOSURE_NEEDED), code="required"))
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
            raise forms.ValidationError(gettext(REVOKED_BEFORE_SIGNED), code="before_signature")
        return value


class ConsentScanForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["scan"]
        widgets = {"scan": forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}
        help_texts = {"scan": _("PDF, PNG or JPEG, up to 10 MB.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"].required = True
        self.fields["scan"].validators.append(validate_document)

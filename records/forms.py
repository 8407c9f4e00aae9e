"""Forms of the records app: record a disclosure, send a copy of the record, add a document.

The disclosure forms offer only the consents that cover the recipient and the information on the day
(records.coverage) and say why each other one does not; without one, only an exception (with its reason)
lets the disclosure be recorded. Error messages that tests check are the constants below.
"""

from __future__ import annotations

import contextlib

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.forms.common import TodayMixin
from clients.models import Consent
from records.coverage import Coverage, coverage
from records.models import EXCEPTIONS, Basis, Document, Method
from recovery.fields import PastDateField
from recovery.once import OnceMixin
from recovery.uploads import validate_document

NO_COVERING_CONSENT = _("No consent in force covers this recipient and this information. Choose an exception "
                       "and say why it applies, or record a consent first.")
CHOOSE_CONSENT = _("Choose the consent this disclosure is made under.")
CONSENT_DOES_NOT_COVER = _("This consent does not cover the disclosure: {why}.")
EXCEPTION_REASON_NEEDED = _("Say why the exception applies (for example, the emergency, the audit, the order).")
RECIPIENT_NEEDED = _("Name the program or person receiving the record.")

# What a copy of the record discloses: a consent for a transfer must name it in its "what information".
RECORD_INFORMATION = "entire record"
OWN_COPY_RECIPIENT = _("The participant (their own copy)")


class DisclosureForm(OnceMixin, TodayMixin, forms.Form):
    recipient = forms.CharField(label=_("To whom"), max_length=200,
                                help_text=_("The organisation or person, as the consent names them."))
    information = forms.CharField(
        label=_("What information"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Each item shared, separated by commas, in the consent's words (for example: attendance, "
                    "recovery plan)."))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    disclosed_on = PastDateField(label=_("Date disclosed"))
    method = forms.ChoiceField(label=_("How"), choices=Method.choices)
    basis = forms.ChoiceField(label=_("Under"), widget=forms.RadioSelect,
                              choices=[(Basis.CONSENT.value, Basis.CONSENT.label)]
                              + [(b.value, b.label) for b in EXCEPTIONS])
    consent = forms.ChoiceField(label=_("Consent"), required=False, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Why the exception applies"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, consents: list[Consent], **kwargs):
        super().__init__(*args, **kwargs)
        self.consents = {str(c.uuid): c for c in consents}
        self.coverage = self._coverage()
        self.fields["consent"].choices = [(key, str(c)) for key, c in self.consents.items()]
        # Only the covering consents are offered; any other posted is refused with its own reason.
        self.fields["consent"].widget.choices = [(str(c.uuid), _consent_label(c)) for c in self.coverage.covering]

    def _value(self, name: str) -> str:
        return str((self.data.get(name) if self.is_bound else self.initial.get(name)) or "")

    def _information(self) -> str:
        return self._value("information")

    def _coverage(self) -> Coverage:
        day = self.today
        with contextlib.suppress(forms.ValidationError):  # a wrong date is refused at its field; sort for today
            day = self.fields["disclosed_on"].clean(self._value("disclosed_on")) or day
        return coverage(list(self.consents.values()), recipient=self._value("recipient").strip(),
                        information=self._information(), day=day)

    @property
    def asked(self) -> bool:
        """Recipient and information are given: the consents can be sorted."""
        return bool(self._value("recipient").strip() and self._information().strip())

    def clean(self):
        data = super().clean()
        if data.get("basis") == Basis.CONSENT:
            data["reason"] = ""
            self._clean_consent(data)
        elif data.get("basis"):
            data["consent"] = None
            if not data.get("reason", "").strip():
                self.add_error("reason", forms.ValidationError(EXCEPTION_REASON_NEEDED, code="required"))
        return data

    def _clean_consent(self, data) -> None:
        consent = self.consents.get(data.get("consent") or "")
        if consent is None:
            message = CHOOSE_CONSENT if self.coverage.covering else NO_COVERING_CONSENT
            self.add_error("consent", forms.ValidationError(message, code="required"))
            return
        why = self.coverage.reason_for(consent)
        if why is not None:
            self.add_error("consent", forms.ValidationError(CONSENT_DOES_NOT_COVER.format(why=why),
                                                            code="not_covering"))
        data["consent"] = consent


def _consent_label(consent: Consent) -> str:
    return gettext("Signed %(day)s, to %(recipients)s (%(expiry)s)") % {
        "day": date_format(consent.signed_on, "M j, Y"), "recipients": consent.recipients,
        "expiry": consent.expiry_text.lower()}


class RecordExportForm(DisclosureForm):
    """A copy of the whole record: for the participant (their own request, no consent needed) or for another
    program (under a consent naming it and the entire record)."""

    field_order = ["basis", "recipient", "consent", "disclosed_on", "method", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["information"], self.fields["reason"]
        self.fields["basis"].choices = [(Basis.OWN_REQUEST.value, _("The participant asks for their own copy")),
                                        (Basis.CONSENT.value, _("A transfer to another program, under a consent"))]
        self.fields["basis"].label = _("Who receives it")
        self.fields["recipient"].required = False
        self.fields["recipient"].label = _("Receiving program")
        self.fields["recipient"].help_text = _(
            "For a transfer: the program as the consent names it. The consent must cover the \"%(information)s\"."
        ) % {"information": RECORD_INFORMATION}

    def _information(self) -> str:
        return RECORD_INFORMATION

    def clean(self):
        data = forms.Form.clean(self)
        data["information"], data["reason"] = RECORD_INFORMATION, ""
        if data.get("basis") == Basis.OWN_REQUEST:
            data["recipient"], data["consent"] = OWN_COPY_RECIPIENT, None
        elif data.get("basis") == Basis.CONSENT:
            if not data.get("recipient", "").strip():
                self.add_error("recipient", forms.ValidationError(RECIPIENT_NEEDED, code="required"))
            self._clean_consent(data)
        return data


class DocumentForm(OnceMixin, TodayMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "received_on", "file"]
        widgets = {"file": forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}
        help_texts = {"file": _("PDF, PNG or JPEG, up to 10 MB."),
                      "title": _("What it is, for example: \"Driver's licence\" or \"Discharge letter, Riverside\".")}
        labels = {"file": _("File")}
        field_classes = {"received_on": PastDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(validate_document)

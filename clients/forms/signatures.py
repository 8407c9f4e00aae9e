"""Signing a plan version or a consent: drawn on the screen, or recorded as signed on paper."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Signature
from clients.models.signatures import MAX_SIGNATURE_BYTES
from clients.signing import signature_png
from recovery.once import OnceMixin
from recovery.uploads import validate_document


class SignatureForm(OnceMixin, forms.Form):
    """One signature, made on the screen or on paper (``method``): the page has a form of each (their ids
    told apart by ``auto_id``), and only the screen one needs the script that draws."""

    role = forms.ChoiceField(label=_("Signing as"), choices=Signature.Role.choices, widget=forms.RadioSelect)
    signer_name = forms.CharField(label=_("Name of the person signing"), max_length=200,
                                  help_text=_("Their full name, typed."))
    shown_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, method: str, shown_sha256: str, **kwargs):
        super().__init__(*args, auto_id=f"id_{method}_%s", **kwargs)
        self.fields["shown_sha256"].initial = shown_sha256
        self.method = method
        if method == Signature.Method.SCREEN:
            # Room for twice the largest signature as base64, so a larger one hears why (clean_drawn).
            self.fields["drawn"] = forms.CharField(label=gettext("Signature"), required=False, widget=forms.HiddenInput,
                                                   max_length=MAX_SIGNATURE_BYTES * 8 // 3)
        else:
            self.fields["scan"] = forms.FileField(
                label=gettext("Scanned signed page"), required=False, validators=[validate_document],
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
                help_text=gettext("Optional. PDF, PNG or JPEG, up to 10 MB."))

    def clean_signer_name(self):
        name = self.cleaned_data["signer_name"].strip()
        if not name:
            raise forms.ValidationError(gettext("Type the name of the person signing."), code="required")
        return name

    def clean_drawn(self) -> bytes:
        return signature_png(self.cleaned_data.get("drawn", ""))

"""The clients app's reference lists, as a program admin edits them (recovery.reference)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Dimension, DischargeReason, ServiceCode, SupportService
from recovery.forms_reference import ReferenceItemForm


class ServiceCodeForm(ReferenceItemForm):
    class Meta:
        model = ServiceCode
        fields = ["code", "description", "billable", "unit_minutes", "daily_unit_cap", "yearly_unit_cap",
                  "default_for", "position", "is_active"]
        labels = {"billable": _("Billable"), "daily_unit_cap": _("Most units a day"),
                  "yearly_unit_cap": _("Most units a year"), "position": _("Order in lists")}

    def clean(self):
        data = super().clean()
        kind = data.get("default_for")
        if kind and ServiceCode.objects.filter(program=self.program, default_for=kind).exclude(
                pk=self.instance.pk).exists():
            self.add_error("default_for",
                           gettext("Another code is offered first for these already: change that one first."))
        return data


class SupportServiceForm(ReferenceItemForm):
    class Meta(ReferenceItemForm.Meta):
        model = SupportService
        help_texts = {"code": _("A short key (letters, digits, - and _), used in exports.")}


class DischargeReasonForm(ReferenceItemForm):
    class Meta(ReferenceItemForm.Meta):
        model = DischargeReason
        help_texts = {"code": _("A short key (letters, digits, - and _), kept on each discharged episode.")}


class DimensionForm(ReferenceItemForm):
    class Meta(ReferenceItemForm.Meta):
        model = Dimension
        fields = ["code", "name", "framework", "description", "position", "is_active"]
        help_texts = {"code": _("A short key (letters, digits, - and _), used in exports and check-in links.")}

"""Billing forms: payers, coverage periods, service authorizations, the period under review."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from billing.models import Coverage, Payer, ServiceAuthorization
from clients.models import ServiceCode
from recovery.fields import DueDateField, PastDateField
from recovery.once import OnceMixin

ENDS_BEFORE_START = _("The end date is before the start date.")
MONTHS_BACK = 24


class PayerForm(OnceMixin, forms.ModelForm):
    class Meta:
        model = Payer
        fields = ["name", "kind", "payer_code", "requires_authorization"]
        labels = {"name": _("Name"), "kind": _("Kind"), "requires_authorization": _("Requires authorization")}


class CoverageForm(OnceMixin, forms.ModelForm):
    """A coverage period: dates may lie ahead (a renewal entered early)."""

    class Meta:
        model = Coverage
        fields = ["payer", "member_id", "starts_on", "ends_on"]
        labels = {"payer": _("Payer")}
        field_classes = {"starts_on": DueDateField, "ends_on": DueDateField}

    def __init__(self, *args, program, **kwargs):
        self.today = program.today()
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = Payer.objects.filter(program=program, is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", forms.ValidationError(ENDS_BEFORE_START, code="before_start"))
        return data


class AuthorizationForm(OnceMixin, forms.ModelForm):
    class Meta:
        model = ServiceAuthorization
        fields = ["payer", "service_code", "number", "units_authorized", "starts_on", "ends_on", "recommended_on"]
        labels = {"payer": _("Payer"), "service_code": _("Service code"), "units_authorized": _("Units authorized")}
        field_classes = {"starts_on": DueDateField, "ends_on": DueDateField, "recommended_on": PastDateField}

    def __init__(self, *args, program, **kwargs):
        self.today = program.today()
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = Payer.objects.filter(program=program, is_active=True,
                                                             requires_authorization=True)
        self.fields["service_code"].queryset = ServiceCode.objects.filter(program=program, is_active=True,
                                                                           billable=True)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", forms.ValidationError(ENDS_BEFORE_START, code="before_start"))
        return data


def month_choices(today: datetime.date) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = []
    for _month in range(MONTHS_BACK):
        months.append((f"{first:%Y-%m}", date_format(first, "F Y")))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months


def month_bounds(key: str) -> tuple[datetime.date, datetime.date]:
    start = datetime.date.fromisoformat(f"{key}-01")
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following - datetime.timedelta(days=1)


class PeriodForm(forms.Form):
    """The month under review (the last two years)."""

    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(today)

    @property
    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return month_bounds(self.cleaned_data["month"])


class BatchForm(OnceMixin, PeriodForm):
    """Mark the ready notes of the month billed."""

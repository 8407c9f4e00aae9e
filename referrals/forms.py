"""Forms of the directory (entry, verification, search, CSV import, categories) and of referrals."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clients.models import Consent, Goal, RecoveryPlan
from recovery.fields import DueDateField, PastDateField
from recovery.models import Membership, Program
from recovery.once import OnceMixin
from referrals.consent import ConsentCheck, consent_check
from referrals.models import Category, Referral, Resource
from referrals.models.referrals import Reason, Status

NEEDS_ORGANISATION = _("Choose an entry of the directory or write the organisation's name.")
FOLLOWUP_BEFORE_REFERRAL = _("The follow-up cannot be before the referral.")


class CategoryChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class LanguagesField(forms.CharField):
    """"English, Spanish" ⇄ ["English", "Spanish"]."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value)
        return list(dict.fromkeys(part.strip()[:40] for part in text.replace(";", ",").split(",") if part.strip()))


class ResourceForm(forms.ModelForm):
    categories = CategoryChoices(queryset=Category.objects.none(), label=_("Categories"))
    languages = LanguagesField(label=_("Languages"), required=False, max_length=300,
                               help_text=_("Separated by commas: English, Spanish."))
    shared_with = forms.ModelMultipleChoiceField(
        queryset=Program.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Share with my other programs"), help_text=_("Their staff can find and use this entry."))

    class Meta:
        model = Resource
        fields = ["organisation", "service_name", "categories", "address", "phone", "website", "hours",
                  "eligibility", "cost", "languages", "accepts_medicaid", "walk_in", "notes", "is_active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "eligibility": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"address": _("Address"), "phone": _("Phone"), "website": _("Website"),
                  "hours": pgettext_lazy("opening hours", "Hours"), "eligibility": _("Eligibility"), "cost": _("Cost"),
                  "notes": _("Notes")}

    def __init__(self, *args, program: Program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.for_program(program.pk).filter(is_active=True)
        admin_of = Program.objects.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN,
                                          memberships__is_active=True, is_active=True).exclude(pk=program.pk)
        if admin_of.exists():
            self.fields["shared_with"].queryset = admin_of.order_by("name")
            if self.instance.pk:
                self.initial["shared_with"] = list(self.instance.shared_with.values_list("pk", flat=True))
        else:
            del self.fields["shared_with"]


class VerifyForm(forms.Form):
    verified_on = PastDateField(label=_("Verified on"))

    def __init__(self, *args, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. housing, Spanish")}))
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False, to_field_name="code",
                                      empty_label=_("Any category"), label=_("Category"))
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[])
    cost = forms.ChoiceField(label=_("Cost"), required=False, choices=[("", _("Any cost")), *Resource.Cost.choices])
    stale = forms.BooleanField(required=False, label=_("Only entries to re-check"))

    def __init__(self, *args, program: Program, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.for_program(program.pk).filter(is_active=True)
        self.fields["language"].choices = [("", _("Any language")), *((lang, lang) for lang in languages)]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with a header row (see the columns below)."))


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "position", "is_active"]
        labels = {"name": _("Name"), "position": _("Position"), "is_active": _("Active")}


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.text[:120]


class ReferralForm(OnceMixin, forms.ModelForm):
    """A referral from the participant's page or a note. ``check`` (after validation) says which consent
    covers sharing, when the referral shares information."""

    followup_on = DueDateField(label=_("Check back on"),
                               help_text=_("A follow-up is added for this day: did they connect?"))

    class Meta:
        model = Referral
        fields = ["organisation", "category", "reason", "goal", "method", "shares_information", "made_on"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2}), "method": forms.RadioSelect}
        field_classes = {"made_on": PastDateField, "goal": GoalChoiceField}
        labels = {"category": _("Category")}

    def __init__(self, *args, client, resource: Resource | None, today: datetime.date, **kwargs):
        self.today, self.client, self.resource = today, client, resource
        super().__init__(*args, **kwargs)
        self.check: ConsentCheck | None = None
        self.fields["category"].queryset = Category.objects.for_program(client.program_id).filter(is_active=True)
        self.fields["category"].required = False
        goals = Goal.objects.filter(plan__client=client, plan__status=RecoveryPlan.Status.ACTIVE,
                                    status=Goal.Status.ACTIVE).order_by("position", "pk")
        self.fields["goal"].queryset = goals
        self.fields["goal"].empty_label = _("No particular goal")
        self.fields["goal"].required = False
        if resource is not None:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].required = False

    def clean_organisation(self) -> str:
        if self.resource is not None:
            return self.resource.organisation
        value = self.cleaned_data.get("organisation", "").strip()
        if not value:
            raise forms.ValidationError(NEEDS_ORGANISATION, code="required")
        return value

    def class_names(self) -> list[str]:
        names = [c.name for c in self.resource.categories.all()] if self.resource is not None else []
        category = self.cleaned_data.get("category")
        return names + ([category.name] if category is not None and category.name not in names else [])

    def clean(self):
        data = super().clean()
        made_on, followup_on = data.get("made_on"), data.get("followup_on")
        if made_on and followup_on and followup_on < made_on:
            self.add_error("followup_on", FOLLOWUP_BEFORE_REFERRAL)
        organisation = data.get("organisation")
        if data.get("shares_information") and organisation:
            self.check = consent_check(client=self.client, organisation=organisation,
                                       class_names=self.class_names(), today=made_on or self.today)
            if not self.check.covered:
                self.add_error("shares_information", self.check.message)
        return data

    @property
    def consent(self) -> Consent | None:
        return self.check.consent if self.check is not None and self.check.covered else None


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("If not completed, why"), required=False,
                               choices=[("", "—"), *Reason.choices])
    on = PastDateField(label=_("Since"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)

    def __init__(self, *args, referral: Referral, today: datetime.date, **kwargs):
        self.today, self.referral = today, referral
        kwargs.setdefault("initial", {"on": today})
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in referral.next_statuses()]
        self.fields["on"].earliest = referral.status_on

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.NOT_COMPLETED and not data.get("reason"):
            self.add_error("reason", _("Say why the referral was not completed."))
        return data

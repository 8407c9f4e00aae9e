"""Forms of the outcomes app: the check-in, GPRA interviews, demographics, instruments and settings."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from clients.models import Dimension
from outcomes.models import CheckIn, Instrument, Interview, Item, OutcomeSettings, ResponseOption, Scale, Threshold
from outcomes.models.demographics import CATEGORY_QUESTIONS, MULTIPLE, Question
from recovery.fields import PastDateField
from recovery.once import OnceMixin

# English here (tests find it inside the message); shown through gettext / gettext_lazy.
CONFIRM_SKIPS = gettext_noop("Submit with unanswered items")
OTHER_NEEDS_DETAIL = _("Say what the outcome was.")
ANSWER_OR_DECLINE = _("Give an answer, or choose “Declined to answer” or “Not asked”.")


def item_field_name(item: Item) -> str:
    return f"item_{item.pk}"


def skipped_text(skipped: int, rule: int) -> str:
    allowed = (gettext("no item is skipped") if rule == 0 else
               ngettext("at most %(n)s item is skipped", "at most %(n)s items are skipped", rule) % {"n": rule})
    return ngettext("%(n)s item is unanswered. A score is given only when %(allowed)s. Answer them, or tick "
                    "“%(confirm)s”.",
                    "%(n)s items are unanswered. A score is given only when %(allowed)s. Answer them, or tick "
                    "“%(confirm)s”.", skipped) % {"n": skipped, "allowed": allowed, "confirm": gettext(CONFIRM_SKIPS)}


class CheckInForm(OnceMixin, forms.Form):
    """One radio group per item (each may be skipped), the date and the occasion."""

    taken_on = PastDateField(label=_("Date"))
    occasion = forms.ChoiceField(choices=CheckIn.Occasion.choices, widget=forms.Select(attrs={"class": "form-select"}))
    confirm_skips = forms.BooleanField(label=_(CONFIRM_SKIPS), required=False)

    def __init__(self, *args, scale: Scale, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale, self.today = scale, today
        choices = [(o.value, gettext(o.label)) for o in scale.options]  # shipped labels in the reader's language
        for item in scale.items:
            self.fields[item_field_name(item)] = forms.TypedChoiceField(
                label=f"{item.position}. {gettext(item.text)}", choices=choices, coerce=int, required=False,
                empty_value=None, widget=forms.RadioSelect)

    def item_fields(self):
        return [(item, self[item_field_name(item)]) for item in self.scale.items]

    def answers(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data.get(item_field_name(item)) for item in self.scale.items}

    def clean(self):
        data = super().clean()
        skipped = sum(1 for value in self.answers().values() if value is None)
        if skipped and not data.get("confirm_skips"):
            self.add_error("confirm_skips", skipped_text(skipped, self.scale.instrument.max_skipped))
        return data


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["kind", "held_on", "outcome", "outcome_detail"]
        labels = {"kind": _("Kind"), "outcome": _("Outcome")}
        field_classes = {"held_on": PastDateField}

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Interview.Outcome.OTHER and not data.get("outcome_detail", "").strip():
            self.add_error("outcome_detail", OTHER_NEEDS_DETAIL)
        return data

    def validate_unique(self):
        """One interview of each kind: saving the same kind again corrects it (the service updates it)."""


NOT_ASKED, DECLINED, ANSWERED = "not_asked", "declined", "answered"
STATE_CHOICES = [(NOT_ASKED, _("Not asked")), (DECLINED, _("Declined to answer")), (ANSWERED, _("Answered"))]


class DemographicsForm(forms.Form):
    """Per question: whether it was asked and answered, and the answer (categories or text)."""

    observed_on = PastDateField(label=_("As of"))

    def __init__(self, *args, categories: dict[str, list[tuple[str, str]]], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for question in Question:
            self.fields[f"{question.value}_state"] = forms.ChoiceField(
                label=question.label, choices=STATE_CHOICES, widget=forms.RadioSelect, initial=NOT_ASKED)
            if question in CATEGORY_QUESTIONS:
                field_class = forms.MultipleChoiceField if question in MULTIPLE else forms.ChoiceField
                widget = forms.CheckboxSelectMultiple if question in MULTIPLE else forms.RadioSelect
                self.fields[question.value] = field_class(
                    label=gettext("%(question)s: answer") % {"question": question.label},
                    choices=categories.get(question.value, []), required=False,
                    widget=widget)
            else:
                self.fields[question.value] = forms.CharField(
                    label=gettext("%(question)s: answer") % {"question": question.label}, max_length=120,
                    required=False)

    def questions(self):
        return [(q, self[f"{q.value}_state"], self[q.value]) for q in Question]

    def clean(self):
        data = super().clean()
        for question in Question:
            value = data.get(question.value)
            if data.get(f"{question.value}_state") == ANSWERED and not value:
                self.add_error(question.value, ANSWER_OR_DECLINE)
        return data

    def answers(self) -> dict[str, tuple[bool, list[str], str]]:
        """Question → (declined, codes, text) for each question asked (not-asked questions are left out)."""
        result = {}
        for question in Question:
            state, value = self.cleaned_data[f"{question.value}_state"], self.cleaned_data.get(question.value)
            if state == NOT_ASKED:
                continue
            if state == DECLINED:
                result[question.value] = (True, [], "")
            elif question in CATEGORY_QUESTIONS:
                result[question.value] = (False, list(value) if question in MULTIPLE else [value], "")
            else:
                result[question.value] = (False, [], value.strip())
        return result


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = ["name", "code", "description", "wording_note", "max_skipped", "prorate", "is_active"]
        labels = {"name": _("Name"), "code": _("Code"), "description": _("Description"),
                  "wording_note": _("Wording note"), "is_active": _("Is active")}
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "wording_note": forms.Textarea(attrs={"rows": 2})}


class RequiredRowsFormSet(forms.BaseInlineFormSet):
    minimum = 1
    message = _("Add at least one row.")

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(kept) < self.minimum:
            raise forms.ValidationError(self.message)


class OptionFormSet(RequiredRowsFormSet):
    """Two values at least; the same value twice is refused by the formset's unique check."""

    minimum, message = 2, _("A response scale needs at least two options.")


class ItemRowsFormSet(RequiredRowsFormSet):
    """An instrument's items: each may name one of the instrument's program's recovery dimensions."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["dimension"].queryset = Dimension.objects.filter(program_id=self.instance.program_id)


ItemFormSet = forms.inlineformset_factory(
    Instrument, Item, formset=ItemRowsFormSet, fields=["position", "text", "label", "reverse_scored", "dimension"],
    extra=3, can_delete=True)
OptionsFormSet = forms.inlineformset_factory(
    Instrument, ResponseOption, formset=OptionFormSet, fields=["value", "label", "phrase"], extra=3, can_delete=True)
ThresholdFormSet = forms.inlineformset_factory(
    Instrument, Threshold, fields=["min_score", "label", "is_marker"], extra=2, can_delete=True)


class OutcomeSettingsForm(forms.ModelForm):
    class Meta:
        model = OutcomeSettings
        fields = ["instrument", "checkin_interval_days", "gpra_enabled", "followup_opens_months",
                  "followup_closes_months", "followup_target_percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.for_program(self.instance.program_id).filter(
            is_active=True)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("followup_opens_months"), data.get("followup_closes_months")
        if opens and closes and closes <= opens:
            self.add_error("followup_closes_months", gettext("The window must close after it opens."))
        return data

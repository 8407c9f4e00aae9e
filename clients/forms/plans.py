"""Forms of recovery plans, their goals, action steps and progress notes."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.forms.common import TodayMixin
from clients.models import ActionStep, Dimension, Goal, GoalProgress, Objective, RecoveryPlan
from recovery.fields import DueDateField, PastDateField, PlanDateField
from recovery.once import OnceMixin

REVIEW_BEFORE_START = gettext_noop("The review date is before the plan date.")
AGREED_BEFORE_START = gettext_noop("The participant cannot agree to the plan before the plan date.")
OTHER_NEEDS_NAME = gettext_noop("Say who else will do this.")
NEED_A_DIMENSION = gettext_noop("Choose at least one dimension.")


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
            self.add_error("review_on", forms.ValidationError(gettext(REVIEW_BEFORE_START), code="before_start"))
        if started and data.get("agreed_on") and data["agreed_on"] < started:
            self.add_error("agreed_on", forms.ValidationError(gettext(AGREED_BEFORE_START), code="before_start"))
        return data


class PlanForm(OnceMixin, PlanEditForm):
    class Meta(PlanEditForm.Meta):
        fields = ["started_on", "review_on", "agreed_on", "strengths", "backup_plan"]


class DimensionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Dimension) -> str:
        return f"{obj.name} ({'recovery' if obj.framework == Dimension.Framework.RECOVERY else 'wellness'})"


class GoalEditForm(forms.ModelForm):
    dimensions = DimensionChoiceField(queryset=Dimension.objects.none(),
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _(NEED_A_DIMENSION)},
                                      help_text=_("SAMHSA's four dimensions of recovery and eight dimensions of "
                                                "wellness."))

    class Meta:
        model = Goal
        fields = ["text", "dimensions", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"text": _("Write it the way the participant says it.")}

    def __init__(self, *args, program_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        # The program's own dimensions only; a goal keeps the ones it was tagged with even if an admin has
        # since retired one.
        offered = Q(is_active=True)
        if self.instance.pk:
            offered |= Q(pk__in=self.instance.goal_dimensions.values("dimension_id"))
        self.fields["dimensions"].queryset = Dimension.objects.filter(offered, program_id=program_id)


class GoalForm(OnceMixin, GoalEditForm):
    class Meta(GoalEditForm.Meta):
        fields = ["text", "dimensions"]


class ActionStepEditForm(TodayMixin, forms.ModelForm):
    class Meta:
        model = ActionStep
        fields = ["description", "objective", "who", "who_detail", "due_on", "done_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"due_on": DueDateField, "done_on": PastDateField}

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        # A step serves one of its own goal's objectives, or the goal as a whole; without objectives, no choice.
        objectives = list(goal.objectives.all())
        if objectives:
            field = self.fields["objective"]
            field.queryset = goal.objectives.all()
            field.empty_label = gettext("The goal as a whole")
            field.label_from_instance = lambda objective: objective.text
        else:
            del self.fields["objective"]

    def clean(self):
        data = super().clean()
        if data.get("who") == ActionStep.Who.OTHER and not data.get("who_detail", "").strip():
            self.add_error("who_detail", forms.ValidationError(gettext(OTHER_NEEDS_NAME), code="required"))
        return data


class ActionStepForm(OnceMixin, ActionStepEditForm):
    class Meta(ActionStepEditForm.Meta):
        fields = ["description", "objective", "who", "who_detail", "due_on"]


class ObjectiveEditForm(TodayMixin, forms.ModelForm):
    """A measurable objective under a goal, with its target date (and, once met, when)."""

    class Meta:
        model = Objective
        fields = ["text", "target_on", "met_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"target_on": DueDateField, "met_on": PastDateField}


class ObjectiveForm(OnceMixin, ObjectiveEditForm):
    class Meta(ObjectiveEditForm.Meta):
        fields = ["text", "target_on"]


class GoalProgressForm(OnceMixin, TodayMixin, forms.ModelForm):
    class Meta:
        model = GoalProgress
        fields = ["noted_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"noted_on": PastDateField}

"""The base form of a program's reference list item (recovery.reference)."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CODE_FIXED = _("Records use this code, so it stays as it is. Retire it and add a new one instead.")


class ReferenceItemForm(forms.ModelForm):
    """An item of one program's list: ``program`` is set by the view, never a field; the program-wide
    unique constraints are checked here (Django skips constraints on fields the form lacks); the code of
    an item in use cannot change, so old records keep their meaning."""

    class Meta:
        fields = ["code", "name", "position", "is_active"]
        labels = {"position": "Order in lists"}

    def __init__(self, *args, program, in_use: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.instance.program = program
        if in_use and "code" in self.fields:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = CODE_FIXED

    def clean(self):
        data = super().clean()
        others = type(self.instance).objects.filter(program=self.program).exclude(pk=self.instance.pk)
        for constraint in self.instance._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or "program" not in constraint.fields:
                continue
            fields = [name for name in constraint.fields if name != "program"]
            if constraint.condition is not None or any(name not in data or name in self.errors for name in fields):
                continue
            if others.filter(**{name: data[name] for name in fields}).exists():
                label = self.fields[fields[0]].label or fields[0]
                self.add_error(fields[0], gettext("This program already has one with this %(field)s.")
                               % {"field": str(label).lower()})
        return data

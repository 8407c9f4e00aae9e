"""recovery.widgets.Select renders what Django's Select renders, byte for byte."""

from __future__ import annotations

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from recovery import widgets

CHOICES = [("", "Everyone you can see"), (0, "Needs <assignment>"), (3, "O'Brien & \"Co\""), (4, "Zoë")]


@pytest.mark.parametrize(("choices", "value", "attrs"), [
    (CHOICES, "3", {"class": "form-select", "id": "id_peer", "required": True, "disabled": False}),
    (CHOICES, None, {}),
    ([("", "Any")], "", {"aria-describedby": "help <1>"}),
    ([("Team A", [(1, "one"), (2, "two")]), (5, "five")], "2", {"class": "form-select"}),
    ([], "", {"class": "form-select"}),
])
def test_the_quick_select_renders_the_same_html_as_django_s(choices, value, attrs):
    assert (widgets.Select(choices=choices).render("peer", value, attrs)
            == forms.Select(choices=choices).render("peer", value, attrs))


def test_a_field_with_the_quick_select_renders_the_same_html_through_crispy_forms():
    class Django(forms.Form):
        peer = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False)

    class Quick(forms.Form):
        peer = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False, widget=widgets.Select)

    for data in ({"peer": "3"}, {"peer": "99"}, None):
        assert as_crispy_field(Quick(data)["peer"]) == as_crispy_field(Django(data)["peer"])

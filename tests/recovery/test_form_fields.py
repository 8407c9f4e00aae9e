"""``as_field`` (recovery/templatetags/form_fields.py) renders a field as crispy-bootstrap5's ``as_crispy_field``
does: the same HTML, blank or with errors, for every field the note forms place themselves."""

from __future__ import annotations

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from clients.forms.notes import NewNoteForm
from clients.selectors import caseload_for_notes
from recovery.audit_report import TABS
from recovery.models import Membership
from recovery.templatetags.form_fields import _widget, as_field
from reports.forms import ReportForm

FIELDS = ["participant", "session_date", "start_time", "end_time", "duration_minutes", "contact_type", "setting",
          "service_code", "summary", "response", "next_steps", "follow_up_on", "follow_up_purpose", "crisis_flag",
          "crisis_description", "goals", "services", "completes"]
WRONG = {"session_date": "not a date", "start_time": "25:99", "duration_minutes": "0", "contact_type": "nope",
         "service_code": "999999", "follow_up_on": "soon", "crisis_flag": "on", "summary": ""}


def note_form(program, peer, client, data=None):
    choosable = caseload_for_notes(peer, program) if client is None else None
    form = NewNoteForm(data, client=client, program_id=program.pk, choosable=choosable, today=program.today(),
                       zone=program.zone, initial={})
    if data is not None:
        assert not form.is_valid()
    return form


@pytest.mark.parametrize("data", [None, WRONG], ids=["blank", "with errors"])
@pytest.mark.parametrize("chosen", [True, False], ids=["from the participant", "from My day"])
def test_as_field_renders_the_note_form_as_crispy_does(program, peer, mine, data, chosen):
    client = mine if chosen else None
    ours, theirs = note_form(program, peer, client, data), note_form(program, peer, client, data)
    compared = [name for name in FIELDS if name in ours.fields]
    assert {"session_date", "summary", "crisis_flag", "service_code"} <= set(compared)
    for name in compared:
        assert parse_html(as_field(ours[name])) == parse_html(as_crispy_field(theirs[name])), name
    if data is not None:
        assert ours.errors and any(ours[name].errors for name in compared)


class Required(forms.Form):
    name = forms.CharField(label="Name", help_text="As <em>they</em> say it.")
    agreed = forms.BooleanField(label="Agreed", help_text="Tick it.")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    note = forms.CharField(label="", required=False, widget=forms.Textarea)


@pytest.mark.parametrize("data", [None, {"kind": "c"}], ids=["blank", "with errors"])
def test_as_field_keeps_the_required_marker_help_text_and_aria_attributes(data):
    ours, theirs = Required(data), Required(data)
    for name in ours.fields:
        html = as_field(ours[name])
        assert parse_html(html) == parse_html(as_crispy_field(theirs[name])), name
    if data is not None:
        assert 'aria-invalid="true"' in as_field(ours["name"]) and "asteriskField" in as_field(ours["name"])


@pytest.mark.parametrize("data", [{"preset": "this_month", "contact_type": "group"},
                                  {"preset": "custom", "start": "not a date", "end": "2026-01-01", "peer": "999999",
                                   "team": "x", "service_code": "999999", "contact_type": "nope", "demographic": "no"}],
                         ids=["blank", "with errors"])
@pytest.mark.parametrize("role", ["admin", "supervisor", "peer"])
def test_as_field_renders_every_report_filter_as_crispy_does(request, program, admin, supervisor, peer, data, role):
    """The report's filter form (templates/reports/report.html): each field as crispy writes it, and each
    ``<select>`` (written in Python by ``as_field``) character for character as Django's templates write it."""
    peer.full_name = "Dee O'Neil & <Sons>"  # escaped the same way in an option's label
    peer.save(update_fields=["full_name"])
    user = request.getfixturevalue(role)
    membership = Membership.objects.get(user=user, program=program)
    ours, theirs = (ReportForm(data, user=user, membership=membership, today=program.today()) for _ in range(2))
    assert ours.is_valid() is theirs.is_valid() is ("start" not in data)
    assert ("team" in ours.fields) is (role == "admin")
    assert len(ours.fields["peer"].choices) > 1 and len(ours.fields["service_code"].choices) > 1
    assert any(isinstance(options, list) for _, options in ours.fields["demographic"].choices)  # <optgroup>s
    for name in ours.fields:
        assert parse_html(as_field(ours[name])) == parse_html(as_crispy_field(theirs[name])), name
        assert _widget(ours[name]) == str(ours[name]), name  # with crispy's classes, as as_field renders it
        fresh = ReportForm(data, user=user, membership=membership, today=program.today())
        assert _widget(fresh[name]) == str(fresh[name]), name  # and without
    if "start" in data:
        assert ours["start"].errors and ours["peer"].errors
    assert "Dee O&#x27;Neil &amp; &lt;Sons&gt;" in as_field(ours["peer"])


@pytest.mark.parametrize("data", [{}, {"start": "2026-02-30", "end": "2020-01-01", "user": "999999", "action": "x",
                                      "participant": "not-a-uuid", "record": "nope", "kind": "x", "ip": "999.1.1.1"}],
                         ids=["blank", "with errors"])
@pytest.mark.parametrize("tab", list(TABS))
def test_as_field_renders_every_audit_filter_as_crispy_does(program, admin, peer, data, tab):
    """The audit report's filter forms (templates/audit/report.html), with the program's staff to choose from."""
    peer.full_name = "Dee O'Neil & <Sons>"
    peer.save(update_fields=["full_name"])
    form_class = TABS[tab].form_class
    ours, theirs = form_class(data, program=program), form_class(data, program=program)
    assert ours.is_valid() is theirs.is_valid() is (not data)
    assert len(ours.fields["user"].choices) > 2
    for name in ours.fields:
        assert parse_html(as_field(ours[name])) == parse_html(as_crispy_field(theirs[name])), name
        assert _widget(ours[name]) == str(ours[name]), name
    assert "Dee O&#x27;Neil &amp; &lt;Sons&gt;" in as_field(ours["user"])


def _forms_of_the_shared_include(program, peer):
    """The forms templates/includes/form_fields.html renders (sign-in, password reset, two-factor, the audit
    report's participant finder, a review's return, a credential's end, the directory's import)."""
    from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

    from peers.forms import CredentialEndForm
    from peers.models import Credential
    from recovery.forms import CodeForm, EnrolForm, ParticipantFindForm, ResetForm
    from referrals.forms import ImportForm
    from supervision.forms import ReturnForm
    from tests.factories import CredentialFactory

    credential: Credential = CredentialFactory(membership=Membership.objects.get(user=peer, program=program))
    wrong = {"username": "", "password": "", "new_password1": "a", "new_password2": "b", "code": "12",
             "name": "", "reason": "", "ended_on": "2026-02-30", "email": "x"}
    for data in (None, wrong):
        yield AuthenticationForm(data=data)
        yield SetPasswordForm(peer, data)
        yield CodeForm(data)
        yield EnrolForm(data)
        yield ResetForm(data)
        yield ParticipantFindForm(data)
        yield ReturnForm(data)
        yield CredentialEndForm(data, credential=credential, today=program.today())
        yield ImportForm(data)


def test_the_shared_fields_include_renders_each_form_as_crispy_does(program, peer):
    from django.template import Context, Template

    ours = Template('{% include "includes/form_fields.html" %}')
    theirs = Template("{% load crispy_forms_tags %}{% for field in form.hidden_fields %}{{ field }}{% endfor %}"
                      "{% for field in form.visible_fields %}{{ field|as_crispy_field }}{% endfor %}")
    for form in _forms_of_the_shared_include(program, peer):
        assert parse_html(ours.render(Context({"form": form}))) == parse_html(theirs.render(Context({"form": form}))), \
            type(form).__name__

"""The report's filters, read from the query string (a GET form: the report is a page to share)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import ServiceCode, SessionNote
from outcomes.demographics import category_choices
from outcomes.models.demographics import CATEGORY_QUESTIONS, Question
from recovery.fields import RecordDateField
from recovery.models import Membership
from recovery.scoping import staff_q
from reports.periods import CUSTOM, PRESETS, THIS_MONTH, period_for
from reports.scope import Filters


class ReportForm(forms.Form):
    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, initial=THIS_MONTH, required=False)
    start = RecordDateField(label=_("From"), required=False)
    end = RecordDateField(label=_("To"), required=False)
    peer = forms.TypedChoiceField(label=_("Peer specialist"), coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team (supervisor)"), coerce=int, required=False, empty_value=None)
    service_code = forms.TypedChoiceField(label=_("Service code"), coerce=int, required=False, empty_value=None)
    contact_type = forms.ChoiceField(label=_("Type of contact"), required=False,
                                     choices=[("", _("All types")), *SessionNote.ContactType.choices])
    demographic = forms.ChoiceField(label=_("Demographic group"), required=False)

    def __init__(self, data, *, user, membership, today):
        super().__init__(data)
        self.today = today
        program = membership.program
        # The choices read as (id, name) rows rather than model instances, the peers in view and (for an
        # admin) the program's team leads in one query: the same options in the same order.
        peers = Q(staff_q(user), role=Membership.Role.PEER)
        wanted = peers | Q(role=Membership.Role.SUPERVISOR) if membership.is_admin else peers
        staff = (Membership.objects.filter(wanted, program=program, is_active=True)
                 .order_by("user__full_name").values_list("role", "user_id", "user__full_name"))
        self.fields["peer"].choices = [("", _("Everyone in view")),
                                       *((pk, name) for role, pk, name in staff if role == Membership.Role.PEER)]
        if membership.is_admin:
            self.fields["team"].choices = [("", _("Every team")), *(
                (pk, name) for role, pk, name in staff if role == Membership.Role.SUPERVISOR)]
        else:
            del self.fields["team"]
        codes = ServiceCode.objects.filter(program=program).order_by("position", "code").values_list(
            "pk", "code", "description")
        self.fields["service_code"].choices = [("", _("All codes")),
                                               *((pk, f"{code} · {description}") for pk, code, description in codes)]
        groups = [("", _("Everyone"))]
        for question, options in category_choices(program.pk).items():
            if question in CATEGORY_QUESTIONS:
                label = Question(question).label
                groups.append((label, [(f"{question}:{code}", f"{label}: {text}") for code, text in options]))
        self.fields["demographic"].choices = groups

    def clean(self):
        data = super().clean()
        if data.get("preset") == CUSTOM:
            if not data.get("start"):
                self.add_error("start", _("Give the first day of the period."))
            if not data.get("end"):
                self.add_error("end", _("Give the last day of the period."))
            if data.get("start") and data.get("end") and data["end"] < data["start"]:
                self.add_error("end", ValidationError(_("The last day cannot be before the first.")))
        return data

    def period(self):
        data = self.cleaned_data
        return period_for(data.get("preset") or THIS_MONTH, self.today, data.get("start"), data.get("end"))

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(peer_id=data.get("peer"), team_id=data.get("team"), service_code_id=data.get("service_code"),
                       contact_type=data.get("contact_type") or "", demographic=data.get("demographic") or "")

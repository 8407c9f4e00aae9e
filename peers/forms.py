"""Forms of the peers app. Error messages that tests check are the constants below."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Sum
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from peers.models import (
    BOARD_STATUSES,
    MAX_HOURS_IN_A_DAY,
    ContinuingEducation,
    Credential,
    CredentialType,
    StaffProfile,
    TraineeHours,
    add_months,
)
from recovery.fields import DATE_IN_FUTURE, CredentialDateField, PastDateField, StaffDateField
from recovery.i18n import usable_language
from recovery.models import Membership, User
from recovery.once import OnceMixin
from recovery.uploads import validate_document

EXPIRY_BEFORE_ISSUE = _("The expiry date must be after the issue date.")
EXPIRY_WITHOUT_ISSUE = _("Enter the issue date too, or leave both dates empty for a credential in training.")
ALREADY_HELD = _("This person already has an open credential of this type: edit or end that one.")
ETHICS_ABOVE_TOTAL = _("Ethics hours cannot be more than the total hours.")
TOO_MANY_HOURS = format_lazy(_("No more than {hours} hours can be logged for one day."), hours=MAX_HOURS_IN_A_DAY)
DAY_OVER_24 = _("With the {logged} hours already logged on that day, this would be more than 24 hours.")
NOT_POSITIVE = _("Enter a number of hours above zero.")
IN_THE_FUTURE = DATE_IN_FUTURE
END_BEFORE_ISSUE = _("A credential cannot end before it was issued.")
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


def validate_certificate(file) -> None:
    # Reads the cap at call time, so it stays one constant for the form and its tests.
    validate_document(file, max_bytes=CERTIFICATE_MAX_BYTES)


def _hours_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=5, decimal_places=2,
                              help_text=help_text, widget=forms.NumberInput(attrs={"step": "0.25", "min": "0"}))


def _check_hours_in_a_day(form: forms.Form, field: str, hours: Decimal | None) -> None:
    if hours is None:
        return
    if hours <= 0:
        form.add_error(field, NOT_POSITIVE)
    elif hours > MAX_HOURS_IN_A_DAY:
        form.add_error(field, TOO_MANY_HOURS)


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ["type", "number", "issued_on", "expires_on"]
        labels = {"type": _("Type"), "issued_on": _("Issued on"), "expires_on": _("Expires on")}
        field_classes = {"issued_on": CredentialDateField, "expires_on": CredentialDateField}
        help_texts = {
            "issued_on": _("Leave both dates empty while the person is still training toward this credential."),
            "expires_on": _("Valid through this date. Empty: the issue date plus the type's renewal cycle."),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        types = CredentialType.objects.for_program(membership.program).filter(is_active=True)
        if self.instance.pk:
            types = types | CredentialType.objects.filter(pk=self.instance.type_id)
        self.fields["type"].queryset = types.distinct().order_by("name")
        self.fields["type"].label = _("Credential")

    def clean(self):
        data = super().clean()
        issued, expires, kind = data.get("issued_on"), data.get("expires_on"), data.get("type")
        if expires and not issued and "issued_on" not in self.errors:
            self.add_error("issued_on", EXPIRY_WITHOUT_ISSUE)
        elif issued and not expires and kind:
            data["expires_on"] = add_months(issued, kind.cycle_months)
        elif issued and expires and expires <= issued:
            self.add_error("expires_on", EXPIRY_BEFORE_ISSUE)
        if kind and not self.instance.ended_on and self._already_held(kind):
            self.add_error("type", ALREADY_HELD)
        return data

    def _already_held(self, kind: CredentialType) -> bool:
        others = Credential.objects.open().filter(membership=self.membership, type=kind)
        return others.exclude(pk=self.instance.pk).exists() if self.instance.pk else others.exists()


class CredentialAddForm(OnceMixin, CredentialForm):
    pass


class CredentialEndForm(forms.Form):
    ended_on = StaffDateField(label=_("Ended on"))
    reason = forms.ChoiceField(choices=[("", _("Choose a reason")), *Credential.EndReason.choices])

    def __init__(self, *args, credential: Credential, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.credential, self.today = credential, today
        self.fields["ended_on"].initial = today

    def clean_ended_on(self) -> date:
        ended_on = self.cleaned_data["ended_on"]
        if self.credential.issued_on and ended_on < self.credential.issued_on:
            raise forms.ValidationError(END_BEFORE_ISSUE)
        return ended_on


class ContinuingEducationForm(forms.ModelForm):
    hours = _hours_field(_("Hours"))
    ethics_hours = _hours_field(_("Of which ethics hours"), required=False,
                                help_text=_("Hours of this activity that count as professional ethics."))
    certificate = forms.FileField(
        required=False, validators=[validate_certificate],
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        help_text=_("PDF, PNG or JPEG, up to 5 MB. If the form shows an error, choose the file again."),
    )
    remove_certificate = forms.BooleanField(required=False, label=_("Remove the stored certificate"))

    class Meta:
        model = ContinuingEducation
        fields = ["completed_on", "title", "provider", "domain", "hours", "ethics_hours", "certificate"]
        field_classes = {"completed_on": StaffDateField}
        labels = {"completed_on": _("Date completed"), "title": _("Title"), "provider": _("Provider"),
                  "domain": _("Domain")}

    def __init__(self, *args, membership: Membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership, self.today = membership, today
        if not self.instance.certificate:
            del self.fields["remove_certificate"]
        else:
            self.fields["certificate"].help_text = _("Choose a file to replace the stored certificate.")

    def clean_ethics_hours(self) -> Decimal:
        ethics = self.cleaned_data.get("ethics_hours")
        return Decimal(0) if ethics is None else ethics

    def clean(self):
        data = super().clean()
        hours, ethics = data.get("hours"), data.get("ethics_hours")
        _check_hours_in_a_day(self, "hours", hours)
        if ethics is not None and ethics < 0:
            self.add_error("ethics_hours", NOT_POSITIVE)
        elif hours is not None and ethics is not None and ethics > hours:
            self.add_error("ethics_hours", ETHICS_ABOVE_TOTAL)
        if data.get("remove_certificate") and "certificate" not in self.changed_data:
            data["certificate"] = False  # FileField: False clears the stored file
        return data


class ContinuingEducationAddForm(OnceMixin, ContinuingEducationForm):
    pass


class TraineeHoursForm(forms.ModelForm):
    hours = _hours_field(_("Hours"))

    class Meta:
        model = TraineeHours
        fields = ["kind", "worked_on", "hours", "note"]
        field_classes = {"worked_on": PastDateField}
        labels = {"kind": _("Kind of hours"), "note": _("Note")}

    def __init__(self, *args, membership: Membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership, self.today = membership, today

    def clean(self):
        data = super().clean()
        hours, worked_on = data.get("hours"), data.get("worked_on")
        _check_hours_in_a_day(self, "hours", hours)
        if hours and worked_on and not self.has_error("hours"):
            others = TraineeHours.objects.filter(membership=self.membership, worked_on=worked_on)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            logged = others.aggregate(total=Sum("hours"))["total"] or Decimal(0)
            if logged + hours > MAX_HOURS_IN_A_DAY:
                self.add_error("hours", DAY_OVER_24.format(logged=f"{logged.normalize():f}"))
        return data


class TraineeHoursAddForm(OnceMixin, TraineeHoursForm):
    pass


class StaffProfileForm(forms.ModelForm):
    supervisor = forms.ModelChoiceField(queryset=None, required=False, empty_label=_("No supervisor"))

    class Meta:
        model = StaffProfile
        fields = ["hire_date", "lived_experience", "supervisor_training_on"]
        labels = {"hire_date": _("Hire date")}
        field_classes = {"hire_date": StaffDateField, "supervisor_training_on": StaffDateField}

    def __init__(self, *args, membership: Membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership, self.today = membership, today
        self.fields["supervisor"].queryset = User.objects.filter(
            memberships__program=membership.program, memberships__role=Membership.Role.SUPERVISOR,
            memberships__is_active=True,
        ).exclude(pk=membership.user_id).order_by("full_name")
        self.fields["supervisor"].initial = membership.supervisor_id
        if not membership.is_supervisor:
            del self.fields["supervisor_training_on"]
        if membership.is_admin or membership.is_supervisor:
            del self.fields["supervisor"]


class CredentialTypeForm(forms.ModelForm):
    class Meta:
        model = CredentialType
        fields = ["name", "abbreviation", "issuing_body", "cycle_months", "ce_hours", "ethics_hours",
                  "makes_billable", "training_hours_required", "experience_hours_required",
                  "supervision_hours_required", "is_active"]
        labels = {"name": _("Name"), "abbreviation": _("Abbreviation"), "issuing_body": _("Issuing body"),
                  "training_hours_required": _("Training hours required"),
                  "experience_hours_required": _("Experience hours required"),
                  "supervision_hours_required": _("Supervision hours required"), "is_active": _("Is active")}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean(self):
        data = super().clean()
        ce, ethics = data.get("ce_hours"), data.get("ethics_hours")
        if ce is not None and ethics is not None and ethics > ce:
            self.add_error("ethics_hours", ETHICS_ABOVE_TOTAL)
        name = data.get("name")
        if name and self._name_taken(name):
            self.add_error("name", gettext("Your program already has a credential type with this name."))
        return data

    def _name_taken(self, name: str) -> bool:
        # Names are unique among the types the program uses (a default it adapted no longer counts).
        same = CredentialType.objects.for_program(self.program).filter(name__iexact=name)
        return (same.exclude(pk=self.instance.pk) if self.instance.pk else same).exists()


class CredentialTypeAddForm(OnceMixin, CredentialTypeForm):
    pass


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", _("Any status")), *[(s.value, s.label) for s in BOARD_STATUSES]]
    )
    type = forms.ModelChoiceField(queryset=None, required=False, empty_label=_("Any credential"), to_field_name="uuid",
                                  label=_("Credential"))
    sort = forms.ChoiceField(required=False, choices=[("expiry", _("Soonest expiry first")), ("name", _("Name"))],
                             label=_("Sort by"))
    former = forms.BooleanField(required=False, label=_("Include former staff"))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = CredentialType.objects.for_program(program).order_by("name")


# --- Staff section: invitations, role and supervisor (peers/team.py) ---------------------------------------

SUPERVISOR_FOR_PEERS = _("A peer specialist needs a supervisor: choose one.")


def _program_supervisors(program, *, exclude=None):
    rows = User.objects.filter(memberships__program=program, memberships__role=Membership.Role.SUPERVISOR,
                               memberships__is_active=True)
    return (rows.exclude(pk=exclude.pk) if exclude else rows).order_by("full_name")


class _RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, widget=forms.RadioSelect,
                             help_text=_("Supervisors and program admins sign in with two-factor authentication."))
    supervisor = forms.ModelChoiceField(queryset=None, required=False, empty_label=_("Choose a supervisor"),
                                        to_field_name="uuid", label=_("Supervisor"),
                                        help_text=_("For a peer specialist only."))

    def clean(self):
        data = super().clean()
        needs_supervisor = data.get("role") == Membership.Role.PEER and not data.get("supervisor")
        if needs_supervisor and "supervisor" not in self.errors and self.fields["supervisor"].queryset.exists():
            self.add_error("supervisor", SUPERVISOR_FOR_PEERS)
        if data.get("role") != Membership.Role.PEER:
            data["supervisor"] = None
        return data


class InvitationForm(OnceMixin, _RoleFields):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), help_text=_("The invitation link goes here. It carries no participant "
                                                      "information."))
    language = forms.ChoiceField(label=_("Email language"), choices=settings.LANGUAGES,
                                 help_text=_("The invitation is written in it, and their account starts in it "
                                             "(they can change it)."))
    field_order = ["full_name", "email", "language", "role", "supervisor"]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = _program_supervisors(program)
        self.fields["role"].initial = Membership.Role.PEER
        self.fields["language"].initial = usable_language(get_language())


class RoleForm(_RoleFields):
    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = _program_supervisors(membership.program, exclude=membership.user)
        self.fields["role"].initial = membership.role
        if membership.supervisor:
            self.initial.setdefault("supervisor", membership.supervisor.uuid)

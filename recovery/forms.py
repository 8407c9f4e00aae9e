"""The project package's forms: sign-in, two-factor, notifications, program rules, emergency access, the audit
report's filters. Error messages that tests check are the constants below."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from recovery.fields import RecordDateField
from recovery.history import record_type_choices
from recovery.models import AccessLog, Program, SecurityEvent
from recovery.twofactor import totp_matching_step

User = get_user_model()

WRONG_ENROL_CODE = "That code does not match. Check the app shows Lantern, then type the current 6-digit code."
RESET_REASON_REQUIRED = "Say why (for example: lost phone, identity confirmed by phone). It is kept in the audit log."
DATE_ORDER_ERROR = "The end date is before the start date."


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        # One message for an unknown address and a wrong password: no account enumeration.
        "invalid_login": "That email and password do not match an active account. Check both and try again.",
    }


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of notification: email on or off (in-app is always on)."""

    def __init__(self, *args, kinds: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in kinds.items():
            self.fields[kind] = forms.BooleanField(label=label, required=False)


class ProgramRulesForm(forms.ModelForm):
    """The rules a program admin sets for their program (DOMAIN.md: every rule is data)."""

    class Meta:
        from recovery.models import Program

        model = Program
        fields = [
            "name", "organization", "time_zone",
            "expiring_window_days", "signing_deadline_hours", "no_contact_days", "group_max_participants",
            "unit_rounding", "supervision_frequency_days", "note_review_policy", "note_review_share_percent",
            "require_two_factor_for_peers", "idle_timeout_minutes",
            "credential_reminder_days", "followup_escalation_days", "no_contact_escalation_days",
            "consent_expiring_days", "plan_review_due_days", "digest_weekday", "digest_hour",
        ]
        labels = {"credential_reminder_days": "Credential reminders (days before expiry, comma-separated)"}

    def clean_credential_reminder_days(self) -> list[int]:
        days = sorted(set(self.cleaned_data["credential_reminder_days"]), reverse=True)
        if not days:
            raise forms.ValidationError("Give at least one day, for example 90, 60, 30, 7, 0.")
        return days


# --- The audit report's filters (recovery/audit_report.py) ---------------------------------------

class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Staff member",
                                  to_field_name="uuid", empty_label="Anyone")
    # Bounded: a year-9999 "to" day once overflowed the day-after arithmetic of ``time_range`` (a 500).
    date_from = RecordDateField(required=False, label="From")
    date_to = RecordDateField(required=False, label="To")

    def __init__(self, data, *, program: Program):
        super().__init__(data)
        self.program = program
        # Everyone who is or was on the program's staff: past staff's reads stay auditable.
        self.fields["user"].queryset = (
            User.objects.filter(memberships__program=program).distinct().order_by("full_name", "id")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATE_ORDER_ERROR)
        return cleaned

    def time_range(self) -> tuple[datetime | None, datetime | None]:
        """The chosen days, whole days in the program's time zone ("to" included)."""
        zone = self.program.zone
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (
            datetime.combine(start, time.min, tzinfo=zone) if start else None,
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone) if end else None,
        )


class AccessFilterForm(AuditFilterForm):
    participant = forms.UUIDField(required=False, label="Participant ID",
                                  help_text="The participant's ID, as shown in their record's address.")
    action = forms.ChoiceField(choices=[("", "Any"), *AccessLog.Action.choices], required=False)
    field_order = ["user", "participant", "action", "date_from", "date_to"]


class ChangesFilterForm(AuditFilterForm):
    record = forms.ChoiceField(label="Record type", required=False)
    field_order = ["user", "record", "date_from", "date_to"]

    def __init__(self, data, *, program: Program):
        super().__init__(data, program=program)
        self.fields["record"].choices = [("", "Any"), *record_type_choices()]


class SecurityFilterForm(AuditFilterForm):
    kind = forms.ChoiceField(label="Event", choices=[("", "Any"), *SecurityEvent.Kind.choices], required=False)
    ip = forms.GenericIPAddressField(label="From address", required=False,
                                     help_text="An IPv4 or IPv6 address, for example 203.0.113.7.")
    field_order = ["user", "kind", "ip", "date_from", "date_to"]


# --- Two-factor authentication (recovery/views/twofactor.py) -----------------------------------------

class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from your app", max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, key: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.step: int | None = None

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        self.step = totp_matching_step(self.key, code)
        if self.step is None:
            raise forms.ValidationError(WRONG_ENROL_CODE, code="wrong_code")
        return code


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Authentication code", max_length=40,
        help_text="The 6 digits your authenticator app shows, or one of your backup codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the audit log, with your name.",
        error_messages={"required": RESET_REASON_REQUIRED},
    )


# --- Emergency access (recovery/views/emergency.py) -------------------------------------------------

class EmergencyMembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="Who may use emergency access", queryset=None, required=False, to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text="Program admins read every participant already and are not listed.",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff
        self.fields["members"].label_from_instance = lambda user: f"{user.full_name} ({user.email})"

from django import forms
from django.contrib.auth.forms import AuthenticationForm


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

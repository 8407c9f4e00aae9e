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


class ProgramSwitchForm(forms.Form):
    program = forms.IntegerField()


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of notification: email on or off (in-app is always on)."""

    def __init__(self, *args, kinds: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in kinds.items():
            self.fields[kind] = forms.BooleanField(label=label, required=False)

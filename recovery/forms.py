"""The project package's forms: sign-in, two-factor, notifications, program rules, emergency access, the audit
report's filters. Error messages that tests check are the constants below."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from recovery.fields import RecordDateField
from recovery.history import record_type_choices
from recovery.i18n import in_language_of
from recovery.models import AccessLog, Program, SecurityEvent
from recovery.twofactor import totp_matching_step

User = get_user_model()

WRONG_ENROL_CODE = _("That code does not match. Check the app shows Lantern, then type the current 6-digit code.")
RESET_REASON_REQUIRED = _("Say why (for example: lost phone, identity confirmed by phone). It is kept in the audit "
                          "log.")
DATE_ORDER_ERROR = _("The end date is before the start date.")


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        # One message for an unknown address and a wrong password: no account enumeration.
        "invalid_login": _("That email and password do not match an active account. Check both and try again."),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with the email written in the account holder's language."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        with in_language_of(context.get("user")):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name)


class LanguageForm(forms.ModelForm):
    """The language Lantern speaks to this user: pages, emails, notifications."""

    class Meta:
        model = get_user_model()
        fields = ["language"]
        labels = {"language": _("Language")}
        help_texts = {"language": _("Pages, emails and notifications come to you in this language.")}
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Follow my browser")), *settings.LANGUAGES]
        self.fields["language"].required = False


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of notification: email on or off (in-app is always on)."""

    def __init__(self, *args, kinds: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in kinds.items():
            self.fields[kind] = forms.BooleanField(label=label, required=False)


# The zones US programs use, offered first; every other zone follows.
COMMON_TIME_ZONES = [
    ("America/New_York", "Eastern (New York)"), ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"), ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"), ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"), ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
]


def time_zone_choices() -> list:
    common = {zone for zone, _ in COMMON_TIME_ZONES}
    others = sorted(zone for zone in zoneinfo.available_timezones() if zone not in common and "/" in zone)
    return [("United States", COMMON_TIME_ZONES), ("Every time zone", [(zone, zone.replace("_", " "))
                                                                     for zone in others])]


REMINDER_DAY_INVALID = _("Day %(nth)s of the list is not a number of days from 0 to 365:")


def shown_when(field: str, value: str, *fields: str) -> Div:
    """Fields that apply only when ``field`` has ``value``: static/js/show-when.js hides them otherwise
    (without JavaScript they stay visible, and the server ignores them when they do not apply)."""
    return Div(*fields, data_show_when=field, data_show_value=value)


class ProgramRulesForm(forms.ModelForm):
    """The rules a program admin sets for their program (DOMAIN.md: every rule is data), in sections."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices,
                                  help_text=_("Where the program works: \"today\", due dates and reminder hours "
                                              "are counted here."))

    class Meta:
        from recovery.models import Program

        model = Program
        fields = [
            "name", "organization", "time_zone",
            "expiring_window_days", "ce_short_window_days", "signing_deadline_hours", "no_contact_days",
            "group_max_participants", "plan_review_every_days", "unit_rounding", "authorization_start_days",
            "supervision_frequency_days",
            "note_review_policy", "note_review_share_percent",
            "require_two_factor_for_peers", "idle_timeout_minutes",
            "credential_reminder_days", "followup_escalation_days", "no_contact_escalation_days",
            "consent_expiring_days", "plan_review_due_days", "digest_weekday", "digest_hour",
            "invitation_valid_hours",
            "resource_stale_days", "referral_followup_days", "referral_no_update_days",
            "disclosure_notice",
        ]
        labels = {
            "name": "Program name",
            "organization": "Organization",
            "signing_deadline_hours": "Hours to sign a note",
            "no_contact_days": "Days without contact before a participant is flagged",
            "group_max_participants": "Most participants in a group session",
            "unit_rounding": "How a part of a billing unit counts",
            "expiring_window_days": "Days before expiry a credential shows as expiring",
            "credential_reminder_days": "Days before a credential expires to remind (comma-separated)",
            "consent_expiring_days": "Days before a consent expires to remind",
            "plan_review_every_days": "Days from a plan's date to its suggested review",
            "plan_review_due_days": "Days before a plan review is due to remind",
            "followup_escalation_days": "Days a follow-up may be overdue before the supervisor hears",
            "no_contact_escalation_days": "Days without contact before the supervisor hears",
            "supervision_frequency_days": "Days between supervision contacts, at most",
            "note_review_policy": "Which signed notes a supervisor reviews",
            "note_review_share_percent": "Share of signed notes reviewed (percent)",
            "require_two_factor_for_peers": "Peer specialists must use two-step sign-in too",
            "idle_timeout_minutes": "Minutes of inactivity before signing out",
            "digest_weekday": "Day the weekly digest goes out",
            "digest_hour": "Hour it goes out (0-23, program time)",
            "referral_followup_days": "Days after a referral to ask whether the person connected",
            "referral_no_update_days": "Days an open referral may go without an update",
            "resource_stale_days": "Days before a directory entry needs checking again",
        }
        help_texts = {
            "signing_deadline_hours": "A note signed later than this after the session is marked a late entry.",
            "no_contact_days": "An enrolled participant not seen for this many days shows a flag on the caseload.",
            "unit_rounding": "Units are counted from each note's minutes with this rule.",
            "expiring_window_days": "The staff board shows a credential as \"expiring soon\" from this day on.",
            "credential_reminder_days": "The holder, their supervisor and the admins are reminded on each of "
                                        "these days (0 = on the day it expires). For example: 90, 60, 30, 7, 0.",
            "consent_expiring_days": "The primary peer is reminded, and the caseload shows the consent as "
                                     "expiring, from this many days before it expires.",
            "plan_review_every_days": "A new plan or version is offered this review date; the peer can change "
                                      "it.",
            "plan_review_due_days": "The primary peer is reminded, and the caseload shows the review as due, "
                                    "from this many days before the review date.",
            "followup_escalation_days": "The peer is reminded at once; the supervisor only after this many days.",
            "no_contact_escalation_days": "Longer than the caseload flag: the supervisor is told after this.",
            "supervision_frequency_days": "A peer with no supervision contact for longer shows on the "
                                          "supervisor's dashboard.",
            "require_two_factor_for_peers": "Supervisors and admins always use it.",
            "idle_timeout_minutes": "A signed-in page left alone this long signs its user out.",
            "digest_weekday": "Supervisors get a summary of their team's week.",
            "digest_hour": "",
            "disclosure_notice": "Printed on every disclosure and record export (42 CFR §2.32). The default is "
                                 "the regulation's wording; change it only when the rule or your counsel does.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("The program", "name", "organization", "time_zone"),
            Fieldset("Documentation", "signing_deadline_hours", "no_contact_days", "group_max_participants",
                     "plan_review_every_days"),
            Fieldset("Billing units", "unit_rounding", "authorization_start_days"),
            Fieldset("Reminders", "consent_expiring_days", "plan_review_due_days", "followup_escalation_days",
                     "no_contact_escalation_days", "expiring_window_days", "ce_short_window_days",
                     "credential_reminder_days"),
            Fieldset("Referrals and the resource directory", "referral_followup_days", "referral_no_update_days",
                     "resource_stale_days"),
            Fieldset("Supervision", "supervision_frequency_days", "note_review_policy",
                     shown_when("note_review_policy", Program.NoteReviewPolicy.SHARE, "note_review_share_percent")),
            Fieldset("Security", "require_two_factor_for_peers", "idle_timeout_minutes", "invitation_valid_hours"),
            Fieldset("Weekly digest", "digest_weekday", "digest_hour"),
            Fieldset("Privacy", "disclosure_notice"),
        )
        # Django's own words name "the array" and an "item": say which day of the list is wrong instead.
        self.fields["credential_reminder_days"].error_messages["item_invalid"] = REMINDER_DAY_INVALID

    def clean_credential_reminder_days(self) -> list[int]:
        days = sorted(set(self.cleaned_data["credential_reminder_days"]), reverse=True)
        if not days:
            raise forms.ValidationError(_("Give at least one day, for example 90, 60, 30, 7, 0."))
        return days

    def clean(self):
        data = super().clean()
        if data.get("note_review_policy") != Program.NoteReviewPolicy.SHARE:
            # Not shown for this policy: whatever the hidden box held, the stored share stays.
            data["note_review_share_percent"] = self.instance.note_review_share_percent
            self.errors.pop("note_review_share_percent", None)
        return data


# --- The audit report's filters (recovery/audit_report.py) ---------------------------------------

class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Staff member"),
                                  to_field_name="uuid", empty_label=_("Anyone"))
    # Bounded: a year-9999 "to" day once overflowed the day-after arithmetic of ``time_range`` (a 500).
    date_from = RecordDateField(required=False, label=_("From"))
    date_to = RecordDateField(required=False, label=_("To"))

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
    participant = forms.UUIDField(required=False, label=_("Participant ID"),
                                  help_text=_("The participant's ID, as shown in their record's address."))
    action = forms.ChoiceField(choices=[("", _("Any")), *AccessLog.Action.choices], required=False)
    field_order = ["user", "participant", "action", "date_from", "date_to"]


class ParticipantFindForm(forms.Form):
    """Sent by POST: a participant's name never appears in an address or a server log line."""

    name = forms.CharField(label=_("Participant's name"), max_length=150,
                           help_text=_("Finds the participants whose name has these words; choose one to see who "
                                       "read their records."))


class ChangesFilterForm(AuditFilterForm):
    record = forms.ChoiceField(label=_("Record type"), required=False)
    field_order = ["user", "record", "date_from", "date_to"]

    def __init__(self, data, *, program: Program):
        super().__init__(data, program=program)
        self.fields["record"].choices = [("", "Any"), *record_type_choices()]


class SecurityFilterForm(AuditFilterForm):
    kind = forms.ChoiceField(label=_("Event"), choices=[("", _("Any")), *SecurityEvent.Kind.choices], required=False)
    ip = forms.GenericIPAddressField(label=_("From address"), required=False,
                                     help_text=_("An IPv4 or IPv6 address, for example 203.0.113.7."))
    field_order = ["user", "kind", "ip", "date_from", "date_to"]


# --- Two-factor authentication (recovery/views/twofactor.py) -----------------------------------------

class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your app"), max_length=10,
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
        label=_("Authentication code"), max_length=40,
        help_text=_("The 6 digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log, with your name."),
        error_messages={"required": RESET_REASON_REQUIRED},
    )


# --- Emergency access (recovery/views/emergency.py) -------------------------------------------------

class EmergencyMembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Who may use emergency access"), queryset=None, required=False, to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Program admins read every participant already and are not listed."),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff
        self.fields["members"].label_from_instance = lambda user: f"{user.full_name} ({user.email})"


# --- Invitations and new programs (recovery/invitations.py) ----------------------------------------

PASSWORDS_DIFFER = _("The two passwords differ. Type the same password twice.")


class InvitationAcceptForm(forms.Form):
    """A new person's name and password, set from their invitation link."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(label=_("Choose a password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 12 characters; not a common password or your name."))
    password2 = forms.CharField(label=_("The same password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import password_validation

        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif first:
            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProgramCreateForm(forms.Form):
    """A superuser starts a program (the same service as ``manage.py createprogram``)."""

    name = forms.CharField(label=_("Program name"), max_length=150)
    organization = forms.CharField(label=_("Organization"), max_length=150, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="America/New_York")
    admin_name = forms.CharField(label=_("First admin's full name"), max_length=150)
    admin_email = forms.EmailField(label=_("First admin's email"),
                                   help_text=_("They get a one-time invitation link by email."))

    def __init__(self, *args, **kwargs):
        import zoneinfo

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(zoneinfo.available_timezones())
                                            if "/" in z and not z.startswith(("Etc/", "SystemV/"))]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Program.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A program with this name exists already."))
        return name

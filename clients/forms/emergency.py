"""The emergency-access form ("break the glass", clients/views/emergency.py): the search and its reason."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from recovery import emergency
from recovery.fields import BirthDateField
from recovery.models.emergency import REASON_MAX_LENGTH
from recovery.once import OnceMixin
from recovery.scoping import participant_q

NO_MATCH = gettext_noop("No participant of this program has this name and date of birth. Check the spelling and "
                        "the date (the name as it was given at intake).")
CHOOSE_ONE = gettext_noop("Several participants have this name and date of birth: choose the one you need.")


class EmergencyAccessForm(OnceMixin, forms.Form):
    """Find a participant of the program by exact name and date of birth, with a reason (break the glass)."""

    full_name = forms.CharField(label=_("Participant's full name"), max_length=150)
    birth_date = BirthDateField(label=_("Date of birth"))  # "today" is the program's (``self.program``)
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is the emergency, and why can it not wait for their peer specialist or supervisor?"),
    )
    # Shown only when several participants match: its options are those matches (set by ``clean``).
    participant = forms.UUIDField(label=_("Which participant"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, user, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.program = user, program
        self.matches: list[Client] = []
        self.client: Client | None = None
        self.searched = False

    def clean_reason(self):
        return emergency.reason_check(self.cleaned_data["reason"])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data  # search only once everything, the reason included, is given
        self.searched = True
        in_scope = Case(When(participant_q(self.user, emergency=False), then=Value(True)), default=Value(False),
                        output_field=BooleanField())
        self.matches = list(
            Client.objects.possible_duplicates(program_id=self.program.pk, full_name=data["full_name"],
                                               birth_date=data["birth_date"]).in_use()
            .select_related("program", "primary_peer").annotate(in_scope=in_scope).order_by("created_at", "pk")
        )
        if not self.matches:
            self.add_error("full_name", ValidationError(gettext(NO_MATCH), code="no_match"))
        elif len(self.matches) == 1:
            self.client = self.matches[0]
        else:
            self.fields["participant"].widget.choices = [(str(c.uuid), _describe(c)) for c in self.matches]
            chosen = [c for c in self.matches if c.uuid == data.get("participant")]
            if chosen:
                self.client = chosen[0]
            else:
                self.add_error("participant", ValidationError(gettext(CHOOSE_ONE), code="choose"))
        return data


def _describe(client: Client) -> str:
    enrolled = timezone.localtime(client.created_at, client.program.zone)
    peer = client.primary_peer.full_name if client.primary_peer else "needs assignment"
    return f"Enrolled {enrolled:%b %-d, %Y} · peer specialist: {peer} · ID {str(client.uuid)[:8]}"

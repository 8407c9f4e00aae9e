"""/clients/emergency/: open a participant outside one's caseload ("break the glass", recovery.emergency).

Only staff on their program's emergency-access list get the page (others 403). They find the participant
by exact name and date of birth (normalised like the intake's duplicate check) within their current
program, give a reason, and land on the participant page with read access for a few hours. Names and
dates of birth travel by POST only, so they never reach a URL, the access log's path or a server log.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone

from clients.models import Client
from recovery import emergency
from recovery.audit import log_access, serves
from recovery.fields import BirthDateField
from recovery.middleware import membership_for
from recovery.models import AccessLog
from recovery.models.emergency import GRANT_DURATION, REASON_MAX_LENGTH
from recovery.once import create_once, earlier_submission
from recovery.scoping import participant_q

NO_MATCH = ("No participant of this program has this name and date of birth. Check the spelling and the date "
            "(the name as it was given at intake).")
CHOOSE_ONE = "Several participants have this name and date of birth: choose the one you need."


class EmergencyAccessForm(forms.Form):
    full_name = forms.CharField(label="Participant's full name", max_length=150)
    birth_date = BirthDateField(label="Date of birth")  # "today" is the program's (``self.program``)
    reason = forms.CharField(
        label="Reason", max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is the emergency, and why can it not wait for their peer specialist or supervisor?",
    )
    # Shown only when several participants match: its options are those matches (set by ``clean``).
    participant = forms.UUIDField(label="Which participant", required=False, widget=forms.RadioSelect)
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

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
                                               birth_date=data["birth_date"])
            .select_related("program", "primary_peer").annotate(in_scope=in_scope).order_by("created_at", "pk")
        )
        if not self.matches:
            self.add_error("full_name", ValidationError(NO_MATCH, code="no_match"))
        elif len(self.matches) == 1:
            self.client = self.matches[0]
        else:
            self.fields["participant"].widget.choices = [(str(c.uuid), _describe(c)) for c in self.matches]
            chosen = [c for c in self.matches if c.uuid == data.get("participant")]
            if chosen:
                self.client = chosen[0]
            else:
                self.add_error("participant", ValidationError(CHOOSE_ONE, code="choose"))
        return data


def _describe(client: Client) -> str:
    enrolled = timezone.localtime(client.created_at, client.program.zone)
    peer = client.primary_peer.full_name if client.primary_peer else "needs assignment"
    return f"Enrolled {enrolled:%b %-d, %Y} · peer specialist: {peer} · ID {str(client.uuid)[:8]}"


@login_required
@serves("GET", "POST")
def emergency_access(request):
    membership = membership_for(request)
    program_id = membership.program_id
    if not emergency.may_use_emergency_access(request.user, program_id):
        return render(request, "clients/emergency/not_listed.html", {"message": emergency.NOT_ON_THE_LIST},
                      status=403)
    if request.method == "POST" and (done := earlier_submission(request)):
        return done
    form = EmergencyAccessForm(request.POST or None, user=request.user, program=membership.program)
    if request.method == "POST" and form.is_valid():
        client = form.client
        if client.in_scope:
            messages.info(request, "You can open this participant's record already: no emergency access needed.")
            return redirect(client)
        return create_once(request, form.cleaned_data["form_token"], lambda: _grant(request, client, form))
    if form.searched:
        # A search that found nothing (or several) is an access attempt too: keep it in the audit log.
        log_access(request, "clients.emergency", action=AccessLog.Action.SEARCH, program_id=program_id,
                   reason=form.cleaned_data["reason"])
    return render(request, "clients/emergency/access.html", {
        "form": form, "program": membership.program, "hours": int(GRANT_DURATION.total_seconds() // 3600),
    })


def _grant(request, client: Client, form: EmergencyAccessForm) -> str:
    emergency.emergency_access_grant(request=request, client=client, reason=form.cleaned_data["reason"])
    messages.warning(request, "Emergency access granted. The program admins have been told.")
    return client.get_absolute_url()

"""/clients/emergency/: open a participant outside one's caseload ("break the glass", recovery.emergency).

Only staff on their program's emergency-access list get the page (others 403). They find the participant
by exact name and date of birth (normalised like the intake's duplicate check) within their current
program, give a reason, and land on the participant page with read access for a few hours. Names and
dates of birth travel by POST only, so they never reach a URL, the access log's path or a server log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from clients.forms.emergency import EmergencyAccessForm
from clients.models import Client
from recovery import emergency
from recovery.audit import log_access, serves
from recovery.middleware import membership_for
from recovery.models import AccessLog
from recovery.models.emergency import GRANT_DURATION
from recovery.once import TOKEN_FIELD, create_once, earlier_submission


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
            messages.info(request,
                          gettext("You can open this participant's record already: no emergency access needed."))
            return redirect(client)
        return create_once(request, form.cleaned_data[TOKEN_FIELD], lambda: _grant(request, client, form))
    if form.searched:
        # A search that found nothing (or several) is an access attempt too: keep it in the audit log.
        log_access(request, "clients.emergency", action=AccessLog.Action.SEARCH, program_id=program_id,
                   reason=form.cleaned_data["reason"])
    return render(request, "clients/emergency/access.html", {
        "form": form, "program": membership.program, "hours": int(GRANT_DURATION.total_seconds() // 3600),
    })


def _grant(request, client: Client, form: EmergencyAccessForm) -> str:
    emergency.emergency_access_grant(request=request, client=client, reason=form.cleaned_data["reason"])
    messages.warning(request, gettext("Emergency access granted. The program admins have been told."))
    return client.get_absolute_url()

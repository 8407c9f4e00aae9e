"""/accounts/emergency-access/: a program admin names who may use emergency access, and sees its uses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from recovery import emergency
from recovery.audit import serves
from recovery.forms import EmergencyMembersForm
from recovery.middleware import membership_for
from recovery.models import AccessLog, EmergencyAccessMember, Membership
from recovery.models.emergency import GRANT_DURATION


@login_required
@serves("GET", "POST")
def emergency_members(request):
    program = membership_for(request, Membership.Role.ADMIN).program
    staff = emergency.listable_staff(program)
    listed = EmergencyAccessMember.objects.filter(program=program, user__in=staff).values_list("user__uuid", flat=True)
    form = EmergencyMembersForm(request.POST or None, staff=staff, initial={"members": list(listed)})
    if request.method == "POST" and form.is_valid():
        added, removed = emergency.emergency_members_set(program=program, users=form.cleaned_data["members"],
                                                         by=request.user)
        messages.success(request, _("Emergency access list saved (%(added)s added, %(removed)s removed).")
                         % {"added": added, "removed": removed})
        return redirect("emergency_members")
    return render(request, "recovery/emergency_members.html", {
        "form": form, "program": program, "grants": list(emergency.recent_grants(program)),
        "hours": int(GRANT_DURATION.total_seconds() // 3600),
        "audit_url": f"{reverse('audit:report')}?{urlencode({'action': AccessLog.Action.EMERGENCY})}",
    })

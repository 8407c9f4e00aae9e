from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from recovery.audit import access_logs_together, serves
from recovery.dashboards import my_day_sections
from recovery.middleware import SESSION_KEY, membership_for
from recovery.offline import offline_page


@login_required
@serves("GET")
@offline_page
def home(request):
    membership_for(request)
    with access_logs_together(request):  # each section logs its list: one INSERT for them all
        sections = my_day_sections(request)
    return render(request, "recovery/home.html", {"sections": sections})


@login_required
@serves("POST")
def switch_program(request):
    try:
        program_id = int(request.POST.get("program", ""))
    except ValueError:
        program_id = None
    if any(m.program_id == program_id for m in request.user.active_memberships):
        request.session[SESSION_KEY] = program_id
    return redirect("home")

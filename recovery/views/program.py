from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from recovery.audit import serves
from recovery.forms import ProgramRulesForm
from recovery.middleware import membership_for
from recovery.models import Membership


@login_required
@serves("GET", "POST")
def program_rules(request):
    """Program admins edit their current program's rules; everyone else gets 403."""
    program = membership_for(request, Membership.Role.ADMIN).program
    form = ProgramRulesForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The program's rules are saved.")
        return redirect("program_rules")
    return render(request, "recovery/program_rules.html", {"form": form, "program": program})

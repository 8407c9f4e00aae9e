from __future__ import annotations

from django.contrib.auth.decorators import login_required

from recovery.audit import serves
from recovery.forms import ProgramRulesForm
from recovery.http import form_page
from recovery.middleware import membership_for
from recovery.models import Membership


@login_required
@serves("GET", "POST")
def program_rules(request):
    """Program admins edit their current program's rules; everyone else gets 403."""
    program = membership_for(request, Membership.Role.ADMIN).program
    form = ProgramRulesForm(request.POST or None, instance=program)
    return form_page(request, form, "recovery/program_rules.html", {"program": program}, save=form.save,
                     success="The program's rules are saved.", then="program_rules")

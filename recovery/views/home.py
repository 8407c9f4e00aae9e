from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from recovery.audit import serves
from recovery.dashboards import my_day_sections
from recovery.middleware import SESSION_KEY
from recovery.models import Membership


@login_required
@serves("GET")
def home(request):
    membership = request.membership
    if membership is None:
        return render(request, "recovery/no_program.html", status=403)
    return render(request, "recovery/home.html", {"sections": my_day_sections(request)})


def team_section(request) -> dict | None:
    """Who the user works with: their supervisor, their supervisees, or the program's staff counts."""
    membership = request.membership
    context: dict = {"membership": membership}
    if membership.is_supervisor or membership.is_admin:
        context["supervisees"] = list(
            Membership.objects.filter(program_id=membership.program_id, supervisor=request.user, is_active=True)
            .select_related("user")
            .order_by("user__full_name")
        )
    if membership.is_admin:
        counts = {role: 0 for role, _ in Membership.Role.choices}
        rows = Membership.objects.filter(program_id=membership.program_id, is_active=True).values_list("role")
        for (role,) in rows:
            counts[role] += 1
        context["staff_counts"] = [(label, counts[role]) for role, label in Membership.Role.choices]
    return context


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

"""Superusers list the programs and start a new one (the service ``manage.py createprogram`` uses)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from recovery.audit import serves
from recovery.forms import ProgramCreateForm
from recovery.invitations import program_create
from recovery.models import Program


def _ensure_superuser(request) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied("Only a superuser manages programs.")


@login_required
@serves("GET", "POST")
def program_list(request):
    _ensure_superuser(request)
    form = ProgramCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = program_create(name=data["name"], organization=data["organization"], time_zone=data["time_zone"],
                                  admin_email=data["admin_email"], admin_name=data["admin_name"], by=request.user)
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))  # a name taken a moment ago
        else:
            messages.success(request, _("%(program)s is created; %(email)s has been emailed an invitation to be "
                                        "its admin.") % {"program": sent.invitation.program.name,
                                                         "email": sent.invitation.email})
            return redirect("program_list")
    programs = Program.objects.annotate(
        staff=Count("memberships", filter=Q(memberships__is_active=True)),
        admins=Count("memberships", filter=Q(memberships__is_active=True, memberships__role="admin")),
    ).order_by("name")
    return render(request, "recovery/program_list.html", {"programs": programs, "form": form})

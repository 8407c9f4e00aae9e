"""The live units of the note form: while a peer writes, what this note will bill and what the caps (and,
through ``clients.units.ESTIMATE_LINES``, the service authorization) have left.

An htmx fragment read with the form's date, length, contact type and service code (never its text). It
calls ``units_estimate``, which bills by ``units_assess``: the very function ``note_sign`` stores.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from clients.forms.units import UnitsEstimateForm
from clients.models import SessionNote
from clients.selectors import caseload_for_notes
from clients.units import units_estimate
from clients.views.notes import WRITING_ROLES
from recovery.audit import read_by, serves
from recovery.middleware import membership_for


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError as error:
        raise Http404 from error


@login_required
@serves("GET")
def note_units(request):
    """The units fragment: ``participant`` (a UUID of the writer's caseload) and, for a draft being
    edited, ``note`` (its UUID: its own units are not counted twice)."""
    program = membership_for(request, *WRITING_ROLES).program
    client_key, note_key = _uuid(request.GET.get("participant", "")), _uuid(request.GET.get("note", ""))
    context = {"estimate": None}
    if client_key is not None:
        client = get_object_or_404(caseload_for_notes(request.user, program), uuid=client_key)
        read_by(request, client, client_uuid=client.uuid, program_id=client.program_id)
        draft = None
        if note_key is not None:
            draft = get_object_or_404(SessionNote.objects.visible_to(request.user).drafts(), uuid=note_key,
                                      author=request.user, client=client)
        form = UnitsEstimateForm(request.GET, today=program.today())
        if form.is_valid():
            data = form.cleaned_data
            note = SessionNote(
                pk=draft.pk if draft else None, client=client, author=request.user,
                session_date=data["session_date"], duration_minutes=data["duration_minutes"],
                contact_type=data["contact_type"], service_code=data["service_code"])
            context["estimate"] = units_estimate(note, program)
            context["note"] = note
    return render(request, "clients/notes/units_estimate.html", context)

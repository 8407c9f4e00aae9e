"""Session notes: write (from a participant's page, or from My day choosing the participant in the form),
read, edit while a draft, sign, discard a draft, add addenda; group sessions.

Reading needs the participant in scope (else 404). Writing needs to carry the participant (else 403);
changing, signing or discarding a note also needs to be its author.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from clients.forms.groups import GroupForm
from clients.forms.notes import AddendumForm, NewNoteForm, NoteForm
from clients.models import Client, GroupSession, SessionNote
from clients.selectors import caseload_for_notes
from clients.services import notes as note_services
from clients.services.groups import group_session_record
from clients.units import units_assess
from clients.views.common import editable_client, scoped_client, scoped_record
from recovery.audit import log_access, log_reads, read_by, serves
from recovery.http import create_page
from recovery.middleware import membership_for
from recovery.models import AccessLog, Membership
from recovery.offline import offline_page
from recovery.scoping import can_edit_participant, ensure_can_edit_participant

NOTES_PER_PAGE = 20
WRITING_ROLES = (Membership.Role.PEER, Membership.Role.SUPERVISOR)


def scoped_note(request, note_uuid: uuid.UUID, *, editable: bool = False) -> SessionNote:
    queryset = SessionNote.objects.select_related(
        "client__program", "client__primary_peer", "author", "signed_by", "service_code", "group")
    return scoped_record(request, queryset, note_uuid, editable=editable)


def authored_note(request, note_uuid: uuid.UUID) -> SessionNote:
    """A note the user may change: they carry its participant (else 403) and wrote it (else 403)."""
    note = scoped_note(request, note_uuid, editable=True)
    if note.author_id != request.user.pk:
        raise PermissionDenied(note_services.NOT_THE_AUTHOR)
    return note


@login_required
@serves("GET", "POST")
@offline_page
def note_new(request, client_uuid: uuid.UUID):
    """Log a session with a participant, from their page."""
    client = editable_client(request, client_uuid)
    return _note_form(request, client=client, program=client.program)


@login_required
@serves("GET", "POST", lists="clients.note_log")
@offline_page
def note_log(request):
    """Log a session, choosing the participant in the form (from My day)."""
    program = membership_for(request, *WRITING_ROLES).program
    return _note_form(request, client=None, program=program)


def _note_form(request, *, client: Client | None, program):
    return create_page(request, lambda: _new_note_form(request, client, program), "clients/notes/form.html",
                       {"client": client, "creating": True}, create=lambda form: _create(request, form, client))


def _new_note_form(request, client: Client | None, program) -> NewNoteForm:
    choosable = caseload_for_notes(request.user, program) if client is None else None
    initial = {"participant": request.GET.get("participant")} if client is None else {}
    return NewNoteForm(request.POST or None, client=client, program_id=program.pk, choosable=choosable,
                       today=program.today(), zone=program.zone, initial=initial)


def _create(request, form: NoteForm, client: Client | None) -> str:
    data = form.cleaned_data
    note = note_services.note_create(
        note=form.save(commit=False), client=client or data["participant"], author=request.user,
        goals=data["goals"], services=data["services"], completes=data.get("completes") or [])
    # --- Save and sign (issue 15, point 8): the form's second button signs in the same step ---
    if request.POST.get(SAVE_AND_SIGN):
        try:
            note = note_services.note_sign(note=note, by=request.user)
        except ValidationError as error:  # the draft is kept; the reader signs it from its page
            messages.error(request, gettext("Saved as a draft, not signed: ") + " ".join(error.messages))
            return note.get_absolute_url()
        messages.success(request, _signed_message(note))
        return note.get_absolute_url()
    messages.success(request, gettext("Session saved as a draft. Read it over, then sign it."))
    return note.get_absolute_url()


SAVE_AND_SIGN = "sign"  # the name of the note form's "Save and sign" button


def _signed_message(note: SessionNote) -> str:
    message = ngettext("Note signed: %(count)s billable unit.", "Note signed: %(count)s billable units.",
                       note.units_billable) % {"count": note.units_billable}
    return f"{message} {gettext('It is marked as a late entry.')}" if note.late_entry else message


@login_required
@serves("GET")
def note_parts(request):
    """The goals and open follow-ups of the participant chosen in the note form (an htmx fragment)."""
    program = membership_for(request, *WRITING_ROLES).program
    key = request.GET.get("participant", "")
    client = None
    if key:
        try:
            client = get_object_or_404(caseload_for_notes(request.user, program), uuid=uuid.UUID(key))
        except ValueError as error:
            raise Http404 from error
        read_by(request, client, client_uuid=client.uuid, program_id=client.program_id)
    form = NoteForm(client=client, program_id=program.pk, today=program.today())
    return render(request, "clients/notes/form.html#participant_parts", {"form": form, "chosen": client})


@login_required
@serves("GET")
def note_detail(request, note_uuid: uuid.UUID):
    note = scoped_note(request, note_uuid)
    client = note.client
    can_edit = can_edit_participant(request.user, client)
    is_author = note.author_id == request.user.pk
    context = {
        "note": note, "client": client, "can_edit": can_edit, "is_author": is_author,
        "goals": [ng.goal for ng in note.note_goals.select_related("goal")],
        "services": [ns.service for ns in note.note_services.select_related("service")],
        "addenda": list(note.addenda.select_related("author")),
        "followups_created": list(note.followups_created.all()),
        "followups_done": list(note.followups_done.all()),
    }
    if not note.is_signed:
        context["deadline"], context["now"] = note.sign_deadline(client.program), timezone.now()
        if can_edit and is_author:
            context["assessment"] = units_assess(note, client.program)
    elif can_edit:
        context["addendum_form"] = AddendumForm()
    log_access(request, note, client_uuid=client.uuid, program_id=client.program_id)
    return render(request, "clients/notes/detail.html", context)


@login_required
@serves("GET", "POST")
def note_edit(request, note_uuid: uuid.UUID):
    note = authored_note(request, note_uuid)
    if note.is_signed:
        messages.info(request, gettext(note_services.ALREADY_SIGNED))
        return redirect(note)
    program = note.client.program
    form = NoteForm(request.POST or None, instance=note, client=note.client, program_id=note.client.program_id,
                    today=program.today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            note_services.note_update(note=form.save(commit=False), by=request.user, goals=data["goals"],
                                       services=data["services"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(note)
        messages.success(request, gettext("Draft saved."))
        return redirect(note)
    return render(request, "clients/notes/form.html", {"form": form, "client": note.client, "note": note})


@login_required
@serves("POST")
def note_sign(request, note_uuid: uuid.UUID):
    note = authored_note(request, note_uuid)
    if note.is_signed:
        messages.info(request, gettext("This note was already signed."))
        return redirect(note)
    note = note_services.note_sign(note=note, by=request.user)
    messages.success(request, _signed_message(note))
    return redirect(note)


@login_required
@serves("POST")
def note_discard(request, note_uuid: uuid.UUID):
    note = authored_note(request, note_uuid)
    if note.is_signed:
        raise PermissionDenied(note_services.ALREADY_SIGNED)
    client = note.client
    note_services.note_discard(note=note, by=request.user)
    messages.success(request, gettext("Draft discarded."))
    return redirect(client)


@login_required
@serves("GET", "POST")
def addendum_new(request, note_uuid: uuid.UUID):
    note = scoped_note(request, note_uuid)
    ensure_can_edit_participant(request.user, note.client)
    if not note.is_signed:
        messages.info(request, gettext(note_services.ADDENDUM_NEEDS_SIGNED_NOTE))
        return redirect(note)
    return create_page(request, lambda: AddendumForm(request.POST or None), "clients/notes/addendum_form.html",
                       {"note": note, "client": note.client}, success=gettext("Addendum added."),
                       create=lambda form: _add_addendum(request, note, form))


def _add_addendum(request, note: SessionNote, form: AddendumForm) -> str:
    note_services.note_addendum_add(note=note, author=request.user, text=form.cleaned_data["text"])
    return f"{note.get_absolute_url()}#addenda"


@login_required
@serves("GET")
def note_list(request, client_uuid: uuid.UUID):
    """All of a participant's notes, newest first."""
    client = scoped_client(request, client_uuid)
    notes = (SessionNote.objects.filter(client=client).select_related("author", "service_code")
             .order_by("-session_date", "-ended_at", "-pk"))
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    log_access(request, client, action=AccessLog.Action.LIST, client_uuid=client.uuid)
    return render(request, "clients/notes/list.html", {
        "client": client, "page": page, "can_edit": can_edit_participant(request.user, client)})


@login_required
@serves("GET", "POST", lists="clients.group_new")
def group_new(request):
    """Document a group on one page: what everyone shares once, each participant's response, and either
    drafts or "Sign all" (issue 15, point 8: open the page, submit)."""
    program = membership_for(request, *WRITING_ROLES).program
    return create_page(
        request, lambda: GroupForm(request.POST or None, choosable=caseload_for_notes(request.user, program),
                                   most=program.group_max_participants, program_id=program.pk, today=program.today(),
                                   zone=program.zone, signing=bool(request.POST.get(SAVE_AND_SIGN))),
        "clients/notes/group_form.html", create=lambda form: _record_group(request, program, form))


def _record_group(request, program, form: GroupForm) -> str:
    data = form.cleaned_data
    group = group_session_record(
        author=request.user, program=program, clients=list(data["participants"]), topic=data["topic"],
        note=form.note_fields(), services=data["services"], responses=form.responses(), sign=form.signing)
    count = len(data["participants"])
    if form.signing:
        messages.success(request, gettext("Group signed: %(count)s notes signed, one for each participant.")
                         % {"count": count})
    else:
        messages.success(request, gettext("Group saved: %(count)s draft notes. Read each over, then sign it.")
                         % {"count": count})
    return group.get_absolute_url()


@login_required
@serves("GET")
def group_detail(request, group_uuid: uuid.UUID):
    """A group session: the notes of the participants the user may see (each read logged)."""
    groups = GroupSession.objects.visible_to(request.user).select_related("facilitator")
    group = get_object_or_404(groups, uuid=group_uuid)
    notes = list(SessionNote.objects.visible_to(request.user).filter(group=group)
                 .select_related("client", "author").order_by("client__name_key", "pk"))
    _log_reads(request, notes)
    return render(request, "clients/notes/group_detail.html", {"group": group, "notes": notes})


def _log_reads(request, notes: list[SessionNote]) -> None:
    """One access-log row per note shown, written in one query."""
    log_reads(request, [(note, {"client_uuid": note.client.uuid, "program_id": note.client.program_id})
                        for note in notes])

"""Staff records, credentials, CE log, trainee hours and the certification status board.

Who may do what (PRODUCT.md): a program admin reads and manages every staff record of the program; a
supervisor reads their supervisees' records (and their own); everyone logs their own CE and trainee
hours. Fetches go through ``visible_to`` / ``staff_q`` (out of scope: 404); writes through
``_ensure_admin`` / ``_ensure_self_or_admin`` (read-only role: 403).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peers import imports, services
from peers.board import (
    CSV_HEADER,
    BoardFilter,
    board_page_data,
    board_rows,
    csv_row,
    staff_without_credentials,
    supervisors_without_training,
    with_progress,
    write_csv,
)
from peers.forms import (
    ALREADY_HELD,
    BoardFilterForm,
    ContinuingEducationAddForm,
    ContinuingEducationForm,
    CredentialAddForm,
    CredentialEndForm,
    CredentialForm,
    CredentialTypeAddForm,
    CredentialTypeForm,
    StaffProfileForm,
    TraineeHoursAddForm,
    TraineeHoursForm,
)
from peers.history import credential_history
from peers.models import ContinuingEducation, Credential, CredentialType, StaffProfile, Status, TraineeHours
from peers.querysets import supervised_sessions
from recovery.audit import log_access, serves
from recovery.exports import export_response
from recovery.http import create_page, form_page
from recovery.importing import ImportKind
from recovery.links import uuid_url
from recovery.middleware import membership_for
from recovery.models import AccessLog, Membership
from recovery.scoping import ensure_role, staff_q
from recovery.uploads import serve_upload

BOARD_PAGE_SIZE = 50
HOURS_SHOWN = 25  # the latest hours entries on a staff record, until "show all"
ADMIN = Membership.Role.ADMIN


def scoped_staff(request, user_uuid: uuid.UUID) -> Membership:
    """A staff member of the current program whom the user may see (their own record, supervisees, all)."""
    program = membership_for(request).program
    return get_object_or_404(
        Membership.objects.filter(staff_q(request.user)).select_related("user", "program", "supervisor"),
        user__uuid=user_uuid, program=program,
    )


def editable_staff(request, user_uuid: uuid.UUID, *, own_allowed: bool = False) -> Membership:
    """A staff record the user may change: as its program's admin, or (``own_allowed``: CE, hours) their own.
    Out of scope: 404; a role that may only read it: 403."""
    membership = scoped_staff(request, user_uuid)
    if not (own_allowed and membership.user_id == request.user.pk):
        ensure_admin(request, membership)
    return membership


def _scoped(request, model: type[models.Model], **lookup):
    """A staff-owned row of the current program that the user may see, or 404."""
    rows = model.objects.visible_to(request.user).filter(membership__program=membership_for(request).program)
    return get_object_or_404(rows.select_related("membership__user", "membership__program"), **lookup)


def admin_program(request):
    """The program of a page only its admins open (the staff and credential-type pages); others 403."""
    return membership_for(request, ADMIN).program


def ensure_admin(request, membership: Membership) -> None:
    ensure_role(request.user, membership.program_id, ADMIN)


def _ensure_self_or_admin(request, membership: Membership) -> None:
    if membership.user_id != request.user.pk:
        ensure_admin(request, membership)


def record_url(membership: Membership, anchor: str = "") -> str:
    url = reverse("peers:staff_detail", kwargs={"user_uuid": membership.user.uuid})
    return f"{url}#{anchor}" if anchor else url


def to_record(membership: Membership, anchor: str = ""):
    return redirect(record_url(membership, anchor))


def _add_row(request, form, *, to: str, message: str, **owner) -> str:
    """Save the add form's row for ``owner`` (the ``create`` of recovery.http.create_page) and say so; the next
    page is ``to``. ``message`` may name the new row: ``{row}``."""
    for name, value in owner.items():
        setattr(form.instance, name, value)
    row = form.save()
    messages.success(request, message.format(row=row))
    return to


# --- Board --------------------------------------------------------------------------------------------


@login_required
@serves("GET")
def staff_home(request):
    """Admins and supervisors: the status board. A peer specialist: their own record."""
    membership = membership_for(request)
    if membership.is_peer:
        return redirect("peers:staff_detail", user_uuid=request.user.uuid)
    program, today = membership.program, membership.program.today()
    form = BoardFilterForm(request.GET or None, program=program)
    board_filter = BoardFilter.from_form(form) if request.GET else BoardFilter()
    rows, counts = board_page_data(request.user, program, today, board_filter)
    page = Paginator(rows, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in with_progress(page.object_list, today):
        row.staff_url = uuid_url("peers:staff_detail", row.membership.user.uuid)  # reversed once, not per row
    unfiltered = not (board_filter.status or board_filter.type)
    return render(request, "peers/board.html", {
        "form": form, "filter": board_filter, "page": page, "counts": counts, "today": today,
        "without_credentials": list(staff_without_credentials(request.user, program)) if unfiltered else [],
        "untrained_supervisors": list(supervisors_without_training(request.user, program))
        if membership.is_admin else [],
        "is_admin": membership.is_admin, "export_query": request.GET.urlencode(), "Status": Status,
    })


def _board_export(request, fmt: str):
    """The day and the rows of a board export: exactly the rows its filter shows, all pages (the export is
    logged; the board is for supervisors and program admins)."""
    membership = membership_for(request)
    if membership.is_peer:
        raise PermissionDenied("The status board is for supervisors and program admins.")
    program, today = membership.program, membership.program.today()
    board_filter = BoardFilter.from_form(BoardFilterForm(request.GET, program=program))
    log_access(request, "peers.board", action=AccessLog.Action.EXPORT, program_id=program.pk,
               reason=f"Staff board export ({fmt})")
    return today, board_rows(request.user, program, today, board_filter).iterator(chunk_size=500)


@login_required
@serves("GET")
def board_export(request):
    """The board as CSV: exactly the rows its filter shows, all pages."""
    today, rows = _board_export(request, "csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="certification-status-{today:%Y-%m-%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    write_csv(response, rows)
    return response


@login_required
@serves("GET")
def board_export_xlsx(request):
    """The board as an Excel workbook: the same rows and columns as the CSV."""
    today, rows = _board_export(request, "xlsx")
    return export_response(fmt="xlsx", filename=f"certification-status-{today:%Y-%m-%d}",
                           headers=[str(heading) for heading in CSV_HEADER], rows=(csv_row(row) for row in rows))


# --- Staff record -------------------------------------------------------------------------------------


@login_required
@serves("GET")
def staff_detail(request, user_uuid):
    membership = scoped_staff(request, user_uuid)
    program, today = membership.program, membership.program.today()
    viewer_is_admin = membership_for(request).is_admin
    credentials = list(
        Credential.objects.filter(membership=membership).with_status(today).select_related("type")
        .order_by(models.F("ended_on").desc(nulls_first=True), models.F("expires_on").asc(nulls_last=True), "pk")
    )
    open_credentials = [c for c in credentials if c.status != Status.ENDED]
    in_training = any(c.status == Status.IN_TRAINING for c in open_credentials)
    return render(request, "peers/staff_detail.html", {
        "staff": membership,
        # The signed supervision sessions counted in a trainee's supervision hours, listed under the bar.
        "supervised_sessions": supervised_sessions(membership, request.user) if in_training else [],
        "in_training": in_training,
        "certified": any(c.issued_on for c in open_credentials),
        "profile": StaffProfile.objects.filter(membership=membership).first(),
        "open_credentials": open_credentials,
        "ended_credentials": [c for c in credentials if c.status == Status.ENDED],
        "Status": Status,
        "continuing_education": list(membership.continuing_education.all()),
        "trainee_hours": list(membership.trainee_hours.all()),
        "hours_shown": HOURS_SHOWN, "all_hours": request.GET.get("hours") == "all",
        "billable_today": services.is_billable(membership.user, program, today),
        "history": credential_history(membership) if viewer_is_admin else None,
        "is_self": membership.user_id == request.user.pk,
        "can_manage": viewer_is_admin,
        "can_log": viewer_is_admin or membership.user_id == request.user.pk,
        "today": today,
    })


@login_required
@serves("GET", "POST")
def profile_edit(request, user_uuid):
    membership = editable_staff(request, user_uuid)
    profile = StaffProfile.objects.filter(membership=membership).first() or StaffProfile(membership=membership)
    form = StaffProfileForm(request.POST or None, instance=profile, membership=membership,
                            today=membership.program.today())
    return form_page(request, form, "peers/profile_form.html", {"staff": membership},
                     success=gettext("Staff profile saved."), then=record_url(membership),
                     save=lambda: services.staff_profile_save(
                         profile=form.instance, supervisor=form.cleaned_data.get("supervisor", membership.supervisor),
                         by=request.user))


# --- Credentials --------------------------------------------------------------------------------------


@login_required
@serves("GET", "POST")
def credential_add(request, user_uuid):
    membership = editable_staff(request, user_uuid)
    return create_page(request, lambda: CredentialAddForm(request.POST or None, membership=membership),
                       "peers/credential_form.html", {"staff": membership},
                       create=lambda form: _add_row(request, form, to=record_url(membership, "credentials"),
                                                    message=gettext("{row.type} added."), membership=membership),
                       conflict={"type": ALREADY_HELD})  # the same type added by someone else a moment ago


@login_required
@serves("GET", "POST")
def credential_edit(request, credential_uuid):
    credential = _scoped(request, Credential, uuid=credential_uuid)
    ensure_admin(request, credential.membership)
    today = credential.membership.program.today()
    form = CredentialForm(request.POST or None, instance=credential, membership=credential.membership)
    end_form = None if credential.ended_on else CredentialEndForm(credential=credential, today=today)
    return form_page(request, form, "peers/credential_form.html",
                     {"staff": credential.membership, "credential": credential, "end_form": end_form},
                     save=form.save, success=gettext("%(credential)s saved.") % {"credential": credential.type},
                     then=record_url(credential.membership, "credentials"))


@login_required
@serves("POST")
def credential_end(request, credential_uuid):
    credential = _scoped(request, Credential, uuid=credential_uuid, ended_on__isnull=True)
    ensure_admin(request, credential.membership)
    end_form = CredentialEndForm(request.POST, credential=credential, today=credential.membership.program.today())
    if end_form.is_valid():
        services.credential_end(credential=credential, ended_on=end_form.cleaned_data["ended_on"],
                                reason=end_form.cleaned_data["reason"])
        messages.success(request, gettext("%(credential)s ended.") % {"credential": credential.type})
        return to_record(credential.membership, "credentials")
    form = CredentialForm(instance=credential, membership=credential.membership)
    return render(request, "peers/credential_form.html", {
        "form": form, "staff": credential.membership, "credential": credential, "end_form": end_form,
    })


# --- Continuing education and trainee hours: staff-owned entries, logged by the staff member or an admin ---


@dataclass(frozen=True)
class EntryKind:
    """One kind of staff-owned log entry: its model, forms, page and the URL kwarg naming an entry."""

    prefix: str  # the views' and URL names' prefix: ``{prefix}_add``, ``{prefix}_edit``, ``{prefix}_delete``
    model: type[models.Model]
    add_form: type
    edit_form: type
    anchor: str  # the staff record's section
    logged: str  # the messages after adding, saving and deleting an entry
    saved: str
    deleted: str
    template: str


def _entry_views(kind: EntryKind):
    """The add, edit and delete views of one kind of entry (the entry's URL kwarg: ``{prefix}_uuid``)."""

    @login_required
    @serves("GET", "POST")
    def add(request, user_uuid):
        membership = editable_staff(request, user_uuid, own_allowed=True)
        return create_page(
            request, lambda: kind.add_form(request.POST or None, request.FILES or None, membership=membership,
                                           today=membership.program.today()),
            kind.template, {"staff": membership, "entry": None},
            create=lambda form: _add_row(request, form, to=record_url(membership, kind.anchor),
                                         message=str(kind.logged), membership=membership))

    @login_required
    @serves("GET", "POST")
    def edit(request, **url_kwargs):
        entry = _scoped(request, kind.model, uuid=url_kwargs[f"{kind.prefix}_uuid"])
        _ensure_self_or_admin(request, entry.membership)
        form = kind.edit_form(request.POST or None, request.FILES or None, instance=entry,
                              membership=entry.membership, today=entry.membership.program.today())
        return form_page(request, form, kind.template, {"staff": entry.membership, "entry": entry}, save=form.save,
                         success=str(kind.saved), then=record_url(entry.membership, kind.anchor))

    @login_required
    @serves("POST")
    def delete(request, **url_kwargs):
        entry = _scoped(request, kind.model, uuid=url_kwargs[f"{kind.prefix}_uuid"])
        _ensure_self_or_admin(request, entry.membership)
        entry.delete()  # the history keeps the deleted row (pghistory delete event)
        messages.success(request, kind.deleted)
        return to_record(entry.membership, kind.anchor)

    for view, action in ((add, "add"), (edit, "edit"), (delete, "delete")):
        view.__name__ = f"{kind.prefix}_{action}"
        view.__qualname__ = view.__name__
    return add, edit, delete


CE = EntryKind(prefix="ce", model=ContinuingEducation, add_form=ContinuingEducationAddForm,
               edit_form=ContinuingEducationForm, anchor="ce", logged=_("Continuing education logged."),
               saved=_("Continuing education saved."), deleted=_("Continuing education entry deleted."),
               template="peers/ce_form.html")
HOURS = EntryKind(prefix="hours", model=TraineeHours, add_form=TraineeHoursAddForm, edit_form=TraineeHoursForm,
                  anchor="hours", logged=_("Hours logged."), saved=_("Hours saved."),
                  deleted=_("Hours entry deleted."), template="peers/hours_form.html")
ce_add, ce_edit, ce_delete = _entry_views(CE)
hours_add, hours_edit, hours_delete = _entry_views(HOURS)


@login_required
@serves("GET")
def ce_certificate(request, ce_uuid):
    entry = _scoped(request, ContinuingEducation, uuid=ce_uuid)
    if not entry.certificate:
        raise Http404("No certificate was uploaded for this entry.")
    if not entry.certificate.storage.exists(entry.certificate.name):
        raise Http404("The stored certificate file is missing.")
    suffix = "." + entry.certificate.name.rsplit(".", 1)[-1] if "." in entry.certificate.name else ""
    return serve_upload(entry.certificate, f"ce-certificate-{entry.completed_on:%Y-%m-%d}{suffix}")



# --- Credential types (program admins) ----------------------------------------------------------------


@login_required
@serves("GET")
def type_list(request):
    program = admin_program(request)
    held = models.Count("credentials", filter=models.Q(credentials__membership__program=program,
                                                       credentials__ended_on__isnull=True))
    types = CredentialType.objects.for_program(program).annotate(held=held).order_by("name")
    return render(request, "peers/type_list.html", {"types": types})


@login_required
@serves("GET", "POST")
def type_add(request):
    program = admin_program(request)
    return create_page(request, lambda: CredentialTypeAddForm(request.POST or None, program=program),
                       "peers/type_form.html",
                       create=lambda form: _add_row(request, form, to=reverse("peers:type_list"),
                                                    message=gettext("{row} added."), program=program))


@login_required
@serves("GET", "POST")
def type_edit(request, type_uuid):
    program = admin_program(request)
    kind = CredentialType.objects.for_program(program).filter(uuid=type_uuid).first()
    if kind is None:
        # A default this program has adapted (an old link, or the adapting form sent twice): its version.
        version = get_object_or_404(CredentialType, program=program, replaces__uuid=type_uuid)
        return redirect("peers:type_edit", type_uuid=version.uuid)
    shared = kind.is_default
    form = CredentialTypeForm(request.POST or None, instance=kind, program=program)
    if request.method == "POST" and form.is_valid():
        if shared:
            services.credential_type_adapt(program=program, source=CredentialType.objects.get(pk=kind.pk),
                                           values=form.cleaned_data)
            messages.success(request, gettext("%(name)s saved as your program's version.")
                             % {"name": form.cleaned_data["name"]})
        else:
            form.save()
            messages.success(request, gettext("%(name)s saved.") % {"name": kind})
        return redirect("peers:type_list")
    return render(request, "peers/type_form.html", {"form": form, "kind": kind, "shared": shared})


# --- Import ---------------------------------------------------------------------------------------------

STAFF_IMPORT = ImportKind(
    slug="staff", title=_("staff"), columns=imports.COLUMNS, example=imports.EXAMPLE, check=imports.staff_check,
    run=imports.staff_import, url_name="peers:import", done_url_name="peers:staff_home",
    help_template="peers/import_help.html")

"""Supervision sessions: record a draft, change it, sign it; acknowledge; action items; addenda."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clients.models import Client
from peers.views import scoped_staff
from recovery.audit import log_access, serves
from recovery.http import carry_out, create_page, form_page
from recovery.middleware import membership_for
from supervision import services
from supervision.forms import ActionItemForm, AddendumForm, SessionAddForm, SessionForm
from supervision.models import SupervisionSession
from supervision.views.common import (
    NOT_YOURS_TO_MARK,
    SUPERVISING_ROLES,
    back,
    ensure_leader,
    ensure_leading_draft,
    led_draft,
    my_attendance,
    scoped_action_item,
    scoped_session,
)

PAGE_SIZE = 25


def _form_kwargs(request, membership) -> dict:
    return {"user": request.user, "program_id": membership.program_id, "today": membership.program.today()}


@login_required
@serves("GET")
def session_list(request):
    """Sessions the user led (an admin: every signed session of the program), optionally for one supervisee."""
    membership = membership_for(request, *SUPERVISING_ROLES)
    sessions = SupervisionSession.objects.visible_to(request.user).filter(program_id=membership.program_id)
    supervisee = None
    if request.GET.get("supervisee"):
        try:
            supervisee = scoped_staff(request, uuid.UUID(request.GET["supervisee"]))
        except ValueError:
            supervisee = None
        if supervisee is not None:
            sessions = sessions.attended_by(supervisee)
    sessions = sessions.select_related("supervisor").annotate(
        supervisee_count=Count("attendances", distinct=True),
        acknowledged=Count("attendances", filter=Q(attendances__acknowledged_at__isnull=False), distinct=True),
    ).order_by("-held_on", "-pk")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/session_list.html", {"page": page, "supervisee": supervisee})


@login_required
@serves("GET", "POST", lists="supervision.session_new")
def session_new(request):
    membership = membership_for(request, *SUPERVISING_ROLES)
    return create_page(request, lambda: _session_add_form(request, membership), "supervision/session_form.html",
                       success=_("Session recorded as a draft: add action items, then sign it."),
                       create=lambda form: services.supervision_session_record(
                           program=membership.program, supervisor=request.user,
                           details=services.SessionDetails.from_form(form.cleaned_data)).get_absolute_url())


def _session_add_form(request, membership) -> SessionAddForm:
    form = SessionAddForm(request.POST or None, **_form_kwargs(request, membership))
    if not form.is_bound and request.GET.get("supervisee"):  # "Record a session" from a supervisee's page
        form.initial["supervisees"] = form.fields["supervisees"].queryset.filter(
            user__uuid__in=request.GET.getlist("supervisee"))
    return form


@login_required
@serves("GET", "POST")
def session_edit(request, session_uuid):
    session = led_draft(request, session_uuid)
    membership = membership_for(request)
    form = SessionForm(request.POST or None, instance=session, **_form_kwargs(request, membership))
    return form_page(request, form, "supervision/session_form.html", {"session": session},
                     success=_("Session saved."), then=session,
                     save=lambda: services.supervision_session_update(
                         session=session, details=services.SessionDetails.from_form(form.cleaned_data)))


@login_required
@serves("GET")
def session_detail(request, session_uuid):
    session = scoped_session(request, session_uuid)
    attendances = list(session.attendances.select_related("membership__user").order_by("membership__user__full_name"))
    discussed = Client.objects.filter(pk__in=session.session_participants.values("client_id"))
    visible_discussed = list(discussed.visible_to(request.user).order_by("name_key", "pk"))
    items = list(session.action_items.select_related("assignee", "done_by").order_by("due_on", "pk"))
    is_leader = session.supervisor_id == request.user.pk
    mine = next((a for a in attendances if a.membership.user_id == request.user.pk), None)
    log_access(request, session, program_id=session.program_id)
    return render(request, "supervision/session_detail.html", {
        "session": session, "attendances": attendances, "topics": list(session.topics.all()),
        "discussed": visible_discussed, "discussed_hidden": discussed.count() - len(visible_discussed),
        "items": items, "addenda": list(session.addenda.select_related("author")),
        "is_leader": is_leader, "my_attendance": mine, "today": session.program.today(),
        "can_add_items": is_leader and not session.is_signed,
    })


@login_required
@serves("POST")
def session_sign(request, session_uuid):
    session = scoped_session(request, session_uuid)
    ensure_leader(request, session)
    carry_out(request, lambda: services.supervision_session_sign(session=session),
              success=_("Session signed. Each supervisee can now acknowledge it."))
    return redirect(session)


@login_required
@serves("POST")
def session_delete(request, session_uuid):
    session = led_draft(request, session_uuid)
    services.supervision_session_discard(session=session)
    messages.success(request, _("Draft session deleted."))
    return redirect("supervision:session_list")


@login_required
@serves("POST")
def session_acknowledge(request, session_uuid):
    session = scoped_session(request, session_uuid)
    attendance = my_attendance(request, session)
    if attendance is None:
        raise PermissionDenied("Only a supervisee of this session can acknowledge it.")
    carry_out(request, lambda: services.supervision_session_acknowledge(attendance=attendance),
              success=_("Thank you: the session is acknowledged."))
    return back(request, session.get_absolute_url())


@login_required
@serves("GET", "POST")
def addendum_new(request, session_uuid):
    session = scoped_session(request, session_uuid)
    ensure_leader(request, session)
    if not session.is_signed:
        raise PermissionDenied("A draft is edited directly; addenda are for signed sessions.")
    return create_page(request, lambda: AddendumForm(request.POST or None), "supervision/addendum_form.html",
                       {"session": session}, success=_("Addendum added."),
                       create=lambda form: _addendum_add(request, session, form))


def _addendum_add(request, session, form: AddendumForm) -> str:
    services.supervision_addendum_add(session=session, author=request.user, text=form.cleaned_data["text"])
    return f"{session.get_absolute_url()}#addenda"


@login_required
@serves("GET", "POST")
def action_item_new(request, session_uuid):
    session = led_draft(request, session_uuid)
    return create_page(request, lambda: ActionItemForm(request.POST or None, session=session),
                       "supervision/action_item_form.html", {"session": session}, success=_("Action item added."),
                       create=lambda form: _action_item_add(session, form.cleaned_data))


def _action_item_add(session, data: dict) -> str:
    services.action_item_add(session=session, assignee=data["assignee"], description=data["description"],
                             due_on=data["due_on"])
    return f"{session.get_absolute_url()}#action-items"


@login_required
@serves("POST")
def action_item_delete(request, item_uuid):
    item = scoped_action_item(request, item_uuid)
    ensure_leading_draft(request, item.session)
    item.delete()
    messages.success(request, _("Action item removed."))
    return redirect(f"{item.session.get_absolute_url()}#action-items")


@login_required
@serves("POST")
def action_item_done(request, item_uuid):
    item = scoped_action_item(request, item_uuid)
    if request.user.pk not in (item.assignee_id, item.session.supervisor_id):
        raise PermissionDenied(NOT_YOURS_TO_MARK)
    done = request.POST.get("done") == "1"
    services.action_item_mark(item=item, by=request.user, done=done)
    messages.success(request, _("Action item marked done.") if done else _("Action item opened again."))
    return back(request, f"{item.session.get_absolute_url()}#action-items")


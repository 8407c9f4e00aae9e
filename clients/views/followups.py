"""Follow-ups: add by hand, read, change while open, mark done (optionally by a note), cancel; a list of the
open follow-ups on the user's desk."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop

from clients.extras import extras
from clients.forms.followups import FollowUpCancelForm, FollowUpDoneForm, FollowUpForm, NewFollowUpForm
from clients.models import FollowUp, SessionNote
from clients.services import followups as followup_services
from clients.services.participants import assignable_staff
from clients.views.common import editable_client, scoped_record
from recovery.audit import log_access, serves
from recovery.http import create_page, form_page, redirect_back
from recovery.middleware import membership_for
from recovery.models import AccessLog, User
from recovery.offline import offline_page
from recovery.scoping import can_edit_participant

PER_PAGE = 25
FOLLOWUP_DONE_ELSEWHERE = gettext_noop("This follow-up is completed from its own form below.")
RECENT_NOTES = 10


def scoped_followup(request, followup_uuid: uuid.UUID, *, editable: bool = False) -> FollowUp:
    queryset = FollowUp.objects.select_related(
        "client__program", "client__primary_peer", "assignee", "closed_by", "done_in_note", "from_note")
    return scoped_record(request, queryset, followup_uuid, editable=editable)


def _assignable(request, client):
    """The carrying peer, or someone they may give work to (a supervisor carrying a caseload: their team)."""
    staff = assignable_staff(request.user, client.program_id)
    return staff if staff.filter(pk=request.user.pk).exists() else User.objects.filter(pk=request.user.pk)


@login_required
@serves("GET", "POST")
@offline_page
def followup_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    return create_page(
        request, lambda: NewFollowUpForm(request.POST or None, assignable=_assignable(request, client),
                                         today=client.program.today(), initial={"assignee": request.user.pk}),
        "clients/followups/form.html", {"client": client, "creating": True}, success=gettext("Follow-up added."),
        create=lambda form: _create(request, client, form))


def _create(request, client, form) -> str:
    followup_services.followup_create(followup=form.save(commit=False), client=client, by=request.user)
    return f"{client.get_absolute_url()}#followups"


def _detail_context(request, followup: FollowUp, **forms) -> dict:
    client = followup.client
    can_edit = followup.is_open and can_edit_participant(request.user, client)
    context = {"followup": followup, "client": client, "can_edit": can_edit, "today": client.program.today()}
    if can_edit:
        notes = SessionNote.objects.filter(client=client).order_by("-session_date", "-ended_at", "-pk")[:RECENT_NOTES]
        context["done_form"] = forms.get("done_form") or FollowUpDoneForm(notes=notes)
        context["cancel_form"] = forms.get("cancel_form") or FollowUpCancelForm()
    return context


@login_required
@serves("GET")
def followup_detail(request, followup_uuid: uuid.UUID):
    followup = scoped_followup(request, followup_uuid)
    log_access(request, followup, client_uuid=followup.client.uuid, program_id=followup.client.program_id)
    return render(request, "clients/followups/detail.html", _detail_context(request, followup))


@login_required
@serves("GET", "POST")
def followup_edit(request, followup_uuid: uuid.UUID):
    followup = scoped_followup(request, followup_uuid, editable=True)
    if not followup.is_open:
        messages.info(request, gettext(followup_services.FOLLOWUP_CLOSED))
        return redirect(followup)
    client = followup.client
    form = FollowUpForm(request.POST or None, instance=followup, assignable=_assignable(request, client),
                        today=client.program.today())
    return form_page(request, form, "clients/followups/form.html", {"client": client, "followup": followup},
                     save=form.save, success=gettext("Follow-up saved."), then=followup)


def _followup_close(request, followup_uuid, *, form_name, bind, close, message, back,
                    done_elsewhere=lambda followup: False):
    """The shared path of an open follow-up's two closing buttons (done, cancel): a rejected form shows on the page."""
    followup = scoped_followup(request, followup_uuid, editable=True)
    if not followup.is_open:
        messages.info(request, gettext(followup_services.FOLLOWUP_CLOSED))
        return back(followup)
    if done_elsewhere(followup):
        messages.info(request, gettext(FOLLOWUP_DONE_ELSEWHERE))
        return redirect(followup)
    form = bind(followup)
    if not form.is_valid():
        return render(request, "clients/followups/detail.html",
                      _detail_context(request, followup, **{form_name: form}))
    close(followup, form.cleaned_data)
    messages.success(request, message)
    return back(followup)


@login_required
@serves("POST")
def followup_done(request, followup_uuid: uuid.UUID):
    return _followup_close(
        request, followup_uuid, form_name="done_form", message=gettext("Follow-up done."),
        # Done elsewhere when an extra asks for more (clients/extras.py): the button sends there.
        done_elsewhere=lambda followup: extras(request, "followup_done", followup=followup),
        bind=lambda followup: FollowUpDoneForm(request.POST, notes=SessionNote.objects.filter(client=followup.client)),
        close=lambda followup, data: followup_services.followup_complete(followup=followup, by=request.user,
                                                                          note=data["note"]),
        back=lambda followup: redirect_back(request, followup),
    )


@login_required
@serves("POST")
def followup_cancel(request, followup_uuid: uuid.UUID):
    return _followup_close(
        request, followup_uuid, form_name="cancel_form", message=gettext("Follow-up cancelled."),
        bind=lambda followup: FollowUpCancelForm(request.POST),
        close=lambda followup, data: followup_services.followup_cancel(followup=followup, by=request.user,
                                                                        reason=data["reason"]),
        back=redirect,
    )


@login_required
@serves("GET")
def followup_list(request):
    """Open follow-ups: a peer's own desk; a supervisor's team; an admin's program. Soonest first."""
    membership = membership_for(request)
    program = membership.program
    rows = FollowUp.objects.visible_to(request.user).listed_for(membership, request.user)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    log_access(request, "clients.followups", action=AccessLog.Action.LIST, program_id=program.pk)
    return render(request, "clients/followups/list.html", {"page": page, "today": program.today()})

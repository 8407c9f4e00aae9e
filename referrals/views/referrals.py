"""Referrals: make one (from the participant's page, or from a session note), read it with its history,
change its status (which completes its follow-up), and list a participant's referrals."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import Client, SessionNote
from clients.views.common import editable_client, scoped_client
from recovery.audit import log_access, read_by, serves
from recovery.http import create_page
from recovery.scoping import can_edit_participant, ensure_can_edit_participant
from referrals import services
from referrals.consent import consent_check
from referrals.forms import ReferralForm, ReferralUpdateForm
from referrals.models import Referral, Resource
from referrals.models.referrals import Status

PER_PAGE = 25


def _chosen_resource(request, client: Client) -> Resource | None:
    key = request.GET.get("resource") or request.POST.get("resource")
    if not key:
        return None
    try:
        key = uuid.UUID(key)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Resource.objects.for_program(client.program_id).prefetch_related("categories"), uuid=key)


@login_required
@serves("GET", "POST")
def referral_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    return _referral_form(request, client, note=None)


@login_required
@serves("GET", "POST")
def referral_from_note(request, note_uuid: uuid.UUID):
    """A referral made in the contact a note records (its day, its participant)."""
    queryset = SessionNote.objects.visible_to(request.user).select_related("client__program", "client__primary_peer")
    note = get_object_or_404(queryset, uuid=note_uuid)
    read_by(request, note, client_uuid=note.client.uuid, program_id=note.client.program_id)
    ensure_can_edit_participant(request.user, note.client)
    return _referral_form(request, note.client, note=note)


def _referral_form(request, client: Client, *, note: SessionNote | None):
    return create_page(request, lambda: _bound_form(request, client, note), "referrals/referral_form.html",
                       lambda form: _page(client, note, form), create=lambda form: _make(request, client, form, note))


def _bound_form(request, client: Client, note: SessionNote | None) -> ReferralForm:
    """The form, to the directory entry chosen if any (looked up after the repeat check)."""
    resource = _chosen_resource(request, client)
    program = client.program
    today = program.today()
    made_on = note.session_date if note is not None else today
    initial = {"made_on": made_on, "followup_on": max(made_on, today) + datetime.timedelta(
        days=program.referral_followup_days)}
    if resource is not None:
        initial["category"] = next(iter(resource.categories.all()), None)
    return ReferralForm(request.POST or None, client=client, resource=resource, today=today, initial=initial)


def _page(client: Client, note: SessionNote | None, form: ReferralForm) -> dict:
    """The page's consent check: the form's, else (not sent yet) the chosen entry's."""
    resource, check = form.resource, form.check
    if check is None and resource is not None:
        check = consent_check(client=client, organisation=resource.organisation,
                              class_names=[c.name for c in resource.categories.all()], today=form.today)
    return {"client": client, "note": note, "resource": resource, "check": check}


def _make(request, client: Client, form: ReferralForm, note: SessionNote | None) -> str:
    data = form.cleaned_data
    referral = services.referral_make(
        client=client, by=request.user, organisation=data["organisation"], reason=data["reason"],
        made_on=data["made_on"], followup_on=data["followup_on"], resource=form.resource, category=data["category"],
        goal=data["goal"], method=data["method"], shares_information=data["shares_information"],
        consent=form.consent, from_note=note)
    text = _("Referral to %(organisation)s made; a follow-up is due %(day)s.") % {
        "organisation": referral.organisation, "day": date_format(referral.followup.due_on, "M j")}
    if referral.consent_id:
        text += " " + form.check.message
    messages.success(request, text)
    return referral.get_absolute_url()


def scoped_referral(request, referral_uuid: uuid.UUID) -> Referral:
    queryset = Referral.objects.visible_to(request.user).select_related(
        "client__program", "client__primary_peer", "resource", "category", "goal", "consent", "from_note",
        "followup", "made_by")
    referral = get_object_or_404(queryset, uuid=referral_uuid)
    read_by(request, referral, client_uuid=referral.client.uuid, program_id=referral.client.program_id)
    return referral


def _detail(request, referral: Referral, form: ReferralUpdateForm | None = None):
    client = referral.client
    can_edit = can_edit_participant(request.user, client) and bool(referral.next_statuses())
    if can_edit and form is None:
        form = ReferralUpdateForm(referral=referral, today=client.program.today())
    return render(request, "referrals/referral_detail.html", {
        "referral": referral, "client": client, "events": list(referral.status_events.select_related("by")),
        "form": form if can_edit else None})


@login_required
@serves("GET")
def referral_detail(request, referral_uuid: uuid.UUID):
    return _detail(request, scoped_referral(request, referral_uuid))


@login_required
@serves("POST")
def referral_update(request, referral_uuid: uuid.UUID):
    referral = scoped_referral(request, referral_uuid)
    ensure_can_edit_participant(request.user, referral.client)
    if not referral.next_statuses():
        messages.info(request, _("This referral is %(status)s: nothing more to record.")
                      % {"status": referral.status_text.lower()})
        return redirect(referral)
    form = ReferralUpdateForm(request.POST, referral=referral, today=referral.client.program.today())
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.referral_update(referral=referral, by=request.user, status=data["status"],
                                               on=data["on"], reason=data["reason"], note=data["note"])
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            text = _("Referral to %(organisation)s: %(status)s.") % {"organisation": updated.organisation,
                                                                   "status": updated.status_text.lower()}
            if referral.followup_id:
                text += " " + _("Its follow-up is done.")
            messages.success(request, text)
            return redirect(updated)
    log_access(request, referral, client_uuid=referral.client.uuid, program_id=referral.client.program_id)
    return _detail(request, referral, form)


@login_required
@serves("GET")
def referral_list(request, client_uuid: uuid.UUID):
    client = scoped_client(request, client_uuid)
    rows = (Referral.objects.filter(client=client).select_related("resource", "category", "made_by")
            .order_by("-made_on", "-pk"))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "referrals/referral_list.html", {
        "client": client, "page": page, "can_edit": can_edit_participant(request.user, client),
        "open_statuses": (Status.MADE, Status.CONNECTED)})

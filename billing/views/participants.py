"""Payers, and each participant's coverage periods and service authorizations (billing clerks and admins)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from billing import services
from billing.forms import AuthorizationForm, CoverageForm, PayerForm
from billing.models import Coverage, Payer, ServiceAuthorization
from billing.views.common import billing_client, billing_clients, billing_membership
from clients.models import SessionNote
from recovery.audit import read_by, serves
from recovery.http import create_page

PER_PAGE = 50


@login_required
@serves("GET", "POST")
def payers(request):
    """The program's payers, and a form to add one."""
    program = billing_membership(request).program
    return create_page(request, lambda: PayerForm(request.POST or None), "billing/payers.html",
                       lambda form: {"payers": Payer.objects.visible_to(request.user).filter(program=program)},
                       create=lambda form: _payer_add(request, program, form))


def _payer_add(request, program, form: PayerForm) -> str:
    payer = services.payer_add(payer=form.save(commit=False), program=program)
    messages.success(request, _("Payer %(name)s added.") % {"name": payer.name})
    return request.path


@login_required
@serves("GET", lists="billing.participants")
def participants(request):
    """The program's participants with the coverage they have today."""
    program = billing_membership(request).program
    today = program.today()
    current = Coverage.objects.filter(client=OuterRef("pk")).on(today).order_by("-starts_on")
    clients = (billing_clients(request, program)
               .annotate(payer_name=Subquery(current.values("payer__name")[:1]),
                         member_id=Subquery(current.values("member_id")[:1]))
               .order_by("name_key", "pk"))
    page = Paginator(clients, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "billing/participants.html", {"page": page, "today": today})


@login_required
@serves("GET")
def participant(request, client_uuid: uuid.UUID):
    """One participant's coverage history and authorizations, with the units used of each."""
    program = billing_membership(request).program
    client = billing_client(request, program, client_uuid)
    read_by(request, client, client_uuid=client.uuid, program_id=client.program_id)
    used = (SessionNote.objects.signed()
            .filter(client_id=OuterRef("client_id"), service_code_id=OuterRef("service_code_id"),
                    session_date__gte=OuterRef("starts_on"), session_date__lte=OuterRef("ends_on"))
            .values("client_id").annotate(total=Sum("units_billable")).values("total"))
    authorizations = (ServiceAuthorization.objects.visible_to(request.user).filter(client=client)
                      .select_related("payer", "service_code").annotate(used=Coalesce(Subquery(used), 0)))
    return render(request, "billing/participant.html", {
        "client": client, "today": program.today(),
        "coverages": Coverage.objects.visible_to(request.user).filter(client=client).select_related("payer"),
        "authorizations": authorizations,
    })


def _record_form(request, client_uuid, form_class, add, *, title: str, done: str):
    program = billing_membership(request).program
    client = billing_client(request, program, client_uuid)
    read_by(request, client, client_uuid=client.uuid, program_id=client.program_id)
    return create_page(request, lambda: form_class(request.POST or None, program=program), "billing/record_form.html",
                       {"client": client, "title": title}, success=done,
                       create=lambda form: _record_add(request, client, form, add))


def _record_add(request, client, form, add) -> str:
    add(form.save(commit=False), client, request.user)
    return reverse("billing:participant", args=[client.uuid])


@login_required
@serves("GET", "POST")
def coverage_new(request, client_uuid: uuid.UUID):
    return _record_form(
        request, client_uuid, CoverageForm,
        lambda record, client, by: services.coverage_add(coverage=record, client=client, by=by),
        title=_("Add a coverage period"), done=_("Coverage period added."))


@login_required
@serves("GET", "POST")
def authorization_new(request, client_uuid: uuid.UUID):
    return _record_form(
        request, client_uuid, AuthorizationForm,
        lambda record, client, by: services.authorization_add(authorization=record, client=client, by=by),
        title=_("Add a service authorization"), done=_("Service authorization added."))


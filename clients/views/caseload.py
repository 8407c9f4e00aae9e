"""The caseload page and intake."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from clients import services
from clients.forms.caseload import SET_ASIDE, UNASSIGNED, CaseloadFilterForm
from clients.forms.participants import IntakeForm
from clients.models import Client
from recovery.audit import log_access, serves
from recovery.http import create_page
from recovery.middleware import membership_for
from recovery.models import AccessLog, Membership

PAGE_SIZE = 25
UNASSIGNED_SHOWN = 20
# The search box's text never enters a URL (web server and access logs keep URLs): the form is posted,
# the text kept in the session under a random token, and the results page addressed by that token.
SEARCHES_SESSION_KEY = "caseload_searches"
SEARCHES_KEPT = 20
SEARCH_PARAM = "search"


def _filtered(rows, filters: dict, today):
    if filters["status"] not in ("all", SET_ASIDE):
        rows = rows.filter(status=filters["status"])
    if filters.get("q"):
        rows = rows.search(filters["q"])
    if filters.get("consent"):
        rows = rows.with_consent_status(filters["consent"], today)
    if filters.get("review"):
        rows = rows.plan_review_due(today)
    if filters.get("peer") == UNASSIGNED:
        rows = rows.without_active_carrier()
    elif filters.get("peer") is not None:
        rows = rows.filter(primary_peer_id=filters["peer"])
    return rows


def _search_remember(request, text: str) -> str:
    """Keep ``text`` in the session under a new random token (the last SEARCHES_KEPT only)."""
    searches = request.session.get(SEARCHES_SESSION_KEY, {})
    token = secrets.token_urlsafe(9)
    searches[token] = text
    request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return token


def _search_redirect(request, form: CaseloadFilterForm):
    """Posted search and filters → the results page: filters in the URL, the name behind a token."""
    filters = form.filters()
    params = {name: value for name, value in form.data.items()
              if name in form.fields and name != "q" and name not in form.errors and value != ""}
    if filters.get("q", "").strip():
        params[SEARCH_PARAM] = _search_remember(request, filters["q"].strip())
    url = reverse("clients:caseload")
    return redirect(f"{url}?{urlencode(params)}" if params else url)


def _filter_data(request) -> dict:
    """The GET filters, with the search text the URL's token stands for (an unknown token: no search)."""
    data = {name: value for name, value in request.GET.items() if name != "q"}
    text = request.session.get(SEARCHES_SESSION_KEY, {}).get(request.GET.get(SEARCH_PARAM, ""))
    if text:
        data["q"] = text
    return data


@login_required
@serves("GET", "POST")
def caseload(request):
    """My participants (a supervisor: the team's; an admin: the program's), searchable and filtered."""
    membership = membership_for(request)
    program = membership.program
    # The filter's choices need each one's id and name only (an admin's list is the program's staff).
    peers = None if membership.is_peer else list(services.assignable_staff(request.user, program.pk)
                                                  .only("pk", "full_name"))
    is_admin = membership.role == Membership.Role.ADMIN
    if request.method == "POST":
        return _search_redirect(request, CaseloadFilterForm(request.POST, peers=peers, set_aside=is_admin))
    if "q" in request.GET:  # an old bookmark or a typed URL: drop the name from the address, search nothing
        rest = {name: value for name, value in request.GET.items() if name != "q"}
        return redirect(f"{request.path}?{urlencode(rest)}" if rest else request.path)
    today = program.today()
    visible = Client.objects.visible_to(request.user).filter(program=program)
    form = CaseloadFilterForm(_filter_data(request), peers=peers, set_aside=is_admin)
    filters = form.filters()
    listed = visible
    if filters["status"] == SET_ASIDE:
        listed = Client.objects.visible_to(request.user, set_aside=True).filter(program=program).exclude(
            set_aside_as="")
    rows = _filtered(listed.caseload(today), filters, today).order_by("name_key", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    unassigned = None
    if not membership.is_peer:
        unassigned = list(visible.needing_assignment().order_by("created_at", "pk")[:UNASSIGNED_SHOWN])
    action = AccessLog.Action.SEARCH if filters.get("q") else AccessLog.Action.LIST
    log_access(request, "clients.caseload", action=action, program_id=program.pk)
    return render(request, "clients/caseload.html", {
        "form": form, "page": page, "today": today, "unassigned": unassigned,
        "rows": [(client, client.flags(today)) for client in page.object_list],
        "show_peer": not membership.is_peer,
        "filtered": any(value not in (None, "") for name, value in filters.items() if name != "status"),
    })


def _intake_form(request, program, today):
    # A peer enrols into their own caseload; a supervisor chooses whose (or leaves it for later).
    assignable = (services.assignable_staff_with_caseloads(request.user, program.pk)
                  if request.membership.is_supervisor else None)
    return IntakeForm(request.POST or None, initial={"started_on": today}, today=today,
                      user=request.user, program_id=program.pk, assignable=assignable)


@login_required
@serves("GET", "POST")
def intake(request):
    """Enrol a participant: a peer into their own caseload, a supervisor into a team member's (or none)."""
    program = membership_for(request, Membership.Role.PEER, Membership.Role.SUPERVISOR).program
    return create_page(request, lambda: _intake_form(request, program, program.today()), "clients/intake.html",
                       lambda form: _matches_logged(request, form, program), success=gettext("Participant enrolled."),
                       create=lambda form: _enrol(request, form))


def _matches_logged(request, form: IntakeForm, program) -> dict:
    """The form shown again: when the duplicate check says who is enrolled already, that was a search of the
    program, and the access log keeps it. (Nothing more for the page.)"""
    if form.matches:
        log_access(request, "clients.intake", action=AccessLog.Action.SEARCH, program_id=program.pk)
    return {}


def _enrol(request, form: IntakeForm) -> str:
    data = form.cleaned_data
    client = form.save(commit=False)
    client.duplicate_reason = data["duplicate_reason"].strip() if form.matches else ""
    peer = data["assign_to"] if "assign_to" in form.fields else request.user
    client = services.client_enrol(
        client=client, program_id=form.program_id, by=request.user, peer=peer, started_on=data["started_on"],
        referral_source=data["referral_source"], referral_detail=data["referral_detail"],
    )
    return client.get_absolute_url()

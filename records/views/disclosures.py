"""Disclosures: record one (under a covering consent or an exception), read it with its notice, print it,
and the accounting of a participant's disclosures (screen, PDF, CSV)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from clients.views.common import editable_client, scoped_client
from records import services
from records.forms import DisclosureForm
from records.models import Basis, Disclosure
from records.views.common import log_file, scoped_disclosure
from recovery.audit import serves
from recovery.exports import export_response
from recovery.once import create_once, earlier_submission
from recovery.pdf import pdf_response
from recovery.scoping import can_edit_participant

PER_PAGE = 25
CHECK = "check"  # the button that sorts the consents without recording anything


def participant_consents(client: Client) -> list:
    return list(client.consents.order_by("-signed_on", "-pk"))


def bound(request, defaults: dict) -> tuple[dict | None, dict]:
    """(data, initial) of a disclosure form: "Check consents" shows what was typed as the form's initial
    values (sorting the consents, judging nothing yet); a submission binds it."""
    if request.method != "POST":
        return None, defaults
    if CHECK in request.POST:
        return None, {**defaults, **request.POST.dict()}
    return request.POST, defaults


def disclosure_page(request, client: Client, form, template: str, save):
    """The tail of both disclosure forms: "Check consents" shows the consents for what is typed; a valid
    submission records the disclosure once; else the page with the form as typed."""
    if form.is_bound:
        if done := earlier_submission(request):
            return done
        if form.is_valid():
            return create_once(request, form.cleaned_data["form_token"], save)
    return render(request, template, {"client": client, "form": form, "coverage": form.coverage})


@login_required
@serves("GET", "POST")
def disclosure_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    today = client.program.today()
    data, initial = bound(request, {"disclosed_on": today, "basis": Basis.CONSENT})
    form = DisclosureForm(data, initial=initial, consents=participant_consents(client), today=today)
    return disclosure_page(request, client, form, "records/disclosure_form.html",
                           lambda: save_disclosure(request, client, form))


def save_disclosure(request, client: Client, form: DisclosureForm, kind: str = Disclosure.Kind.DISCLOSURE,
                    ) -> str:
    data = form.cleaned_data
    disclosure = services.disclosure_record(
        client=client, by=request.user, kind=kind, recipient=data["recipient"], information=data["information"],
        purpose=data["purpose"], disclosed_on=data["disclosed_on"], method=data["method"], basis=data["basis"],
        consent=data["consent"], reason=data["reason"])
    messages.success(request, _("Disclosure recorded. It is part of the accounting and cannot be changed."))
    return disclosure.get_absolute_url()


@login_required
@serves("GET")
def disclosure_detail(request, disclosure_uuid: uuid.UUID):
    disclosure = scoped_disclosure(request, disclosure_uuid)
    return render(request, "records/disclosure_detail.html", {"disclosure": disclosure, "client": disclosure.client})


@login_required
@serves("GET")
def disclosure_pdf(request, disclosure_uuid: uuid.UUID):
    """The disclosure's cover sheet: what was sent, to whom, under what, and the §2.32 notice."""
    disclosure = scoped_disclosure(request, disclosure_uuid)
    client = disclosure.client
    response = pdf_response("records/disclosure_pdf.html", {"disclosure": disclosure, "client": client},
                            filename=f"disclosure-{disclosure.disclosed_on:%Y-%m-%d}.pdf", request=request)
    log_file(request, disclosure, client)
    return response


def _accounting(client: Client):
    return Disclosure.objects.filter(client=client).select_related("consent", "disclosed_by").order_by(
        "-disclosed_on", "-pk")


@login_required
@serves("GET")
def accounting(request, client_uuid: uuid.UUID):
    client = scoped_client(request, client_uuid)
    page = Paginator(_accounting(client), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "records/accounting.html", {
        "client": client, "page": page, "can_edit": can_edit_participant(request.user, client)})


ACCOUNTING_HEADERS = [
    gettext_lazy("Date disclosed"), gettext_lazy("To whom"), gettext_lazy("What information"), gettext_lazy("Purpose"),
    gettext_lazy("How"), gettext_lazy("Under"), gettext_lazy("Consent signed"),
    gettext_lazy("Why the exception applies"), gettext_lazy("Disclosed by"), gettext_lazy("Kind")]


def _accounting_line(d: Disclosure) -> list:
    return [d.disclosed_on, d.recipient, d.information, d.purpose, d.get_method_display(), d.get_basis_display(),
            d.consent.signed_on if d.consent else "", d.reason, d.disclosed_by.full_name, d.get_kind_display()]


@login_required
@serves("GET")
def accounting_export(request, client_uuid: uuid.UUID, fmt: str):
    """The accounting as a PDF (with the program's notice) or a CSV; each download is logged."""
    client = scoped_client(request, client_uuid)
    rows = list(_accounting(client))
    filename = f"accounting-of-disclosures-{client.program.today():%Y-%m-%d}"
    if fmt == "pdf":
        response = pdf_response("records/accounting_pdf.html", {
            "client": client, "rows": rows, "today": client.program.today()}, filename=f"{filename}.pdf",
            request=request)
    elif fmt == "csv":
        headers = [str(header) for header in ACCOUNTING_HEADERS]
        response = export_response(fmt="csv", filename=filename, headers=headers,
                                   rows=[_accounting_line(d) for d in rows])
    else:
        raise Http404("No such format.")
    log_file(request, f"records.accounting.{fmt}", client)
    return response


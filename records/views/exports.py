"""A copy of the participant's whole record, for the participant (their own request) or for another program
(a transfer under a consent): recorded as a disclosure first, then downloaded as a PDF or a JSON file
(records/schema/record-export.schema.json), each download logged."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from clients.views.common import editable_client
from records.export import record_data, record_json
from records.forms import RecordExportForm
from records.models import Basis, Disclosure, Method
from records.views.common import log_file, scoped_disclosure
from records.views.disclosures import bound, disclosure_page, participant_consents, save_disclosure
from recovery.audit import serves
from recovery.pdf import pdf_response


@login_required
@serves("GET", "POST")
def record_export_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    today = client.program.today()
    defaults = {"disclosed_on": today, "basis": Basis.OWN_REQUEST, "method": Method.IN_PERSON}
    data, initial = bound(request, defaults)
    form = RecordExportForm(data, initial=initial, consents=participant_consents(client), today=today)
    return disclosure_page(request, client, form, "records/export_form.html",
                           lambda: save_disclosure(request, client, form, Disclosure.Kind.RECORD_EXPORT))


@login_required
@serves("GET")
def record_export_file(request, disclosure_uuid: uuid.UUID, fmt: str):
    """The record sent under a "copy of the record" disclosure, as a PDF or as JSON."""
    disclosure = scoped_disclosure(request, disclosure_uuid)
    if disclosure.kind != Disclosure.Kind.RECORD_EXPORT or fmt not in ("pdf", "json"):
        raise Http404("No such export.")
    client = disclosure.client
    data = record_data(client, disclosure)
    filename = f"record-{disclosure.disclosed_on:%Y-%m-%d}.{fmt}"
    if fmt == "pdf":
        response = pdf_response("records/record_pdf.html", {
            "data": data, "client": client, "disclosure": disclosure}, filename=filename, request=request)
    else:
        response = HttpResponse(record_json(data), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
    log_file(request, disclosure, client)
    return response

"""Documents kept with the record: add one (checked by content, stored privately), list them, download one
(scoped, logged)."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from clients.views.common import editable_client, scoped_client
from records.forms import DocumentForm
from records.models import Document
from records.views.common import log_file, scoped_document
from recovery.audit import serves
from recovery.http import create_page
from recovery.models import AccessLog
from recovery.scoping import can_edit_participant
from recovery.uploads import serve_upload

PER_PAGE = 25


@login_required
@serves("GET", "POST")
def document_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    today = client.program.today()
    return create_page(
        request, lambda: DocumentForm(request.POST or None, request.FILES or None, today=today,
                                      initial={"received_on": today}),
        "records/document_form.html", {"client": client}, success=_("Document added to the record."),
        create=lambda form: _add(request, client, form))


def _add(request, client, form: DocumentForm) -> str:
    document = form.save(commit=False)
    document.client, document.uploaded_by = client, request.user
    document.save()
    return client.get_absolute_url() + "#documents"


@login_required
@serves("GET")
def document_list(request, client_uuid: uuid.UUID):
    client = scoped_client(request, client_uuid)
    rows = Document.objects.filter(client=client).select_related("uploaded_by").order_by("-received_on", "-pk")
    return render(request, "records/document_list.html", {
        "client": client, "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "can_edit": can_edit_participant(request.user, client)})


@login_required
@serves("GET")
def document_file(request, document_uuid: uuid.UUID):
    """Download a document (scoped, logged, never by a public URL)."""
    document = scoped_document(request, document_uuid)
    try:
        response = serve_upload(document.file, document.download_name)
    except FileNotFoundError:
        raise Http404("The document is missing from storage.") from None
    log_file(request, document, document.client, action=AccessLog.Action.DOWNLOAD)
    return response

"""What every view of the records app shares: the scoped fetches of a disclosure and of a document."""

from __future__ import annotations

import uuid

from clients.views.common import scoped_record
from records.models import Disclosure, Document
from recovery.audit import log_access
from recovery.models import AccessLog


def scoped_disclosure(request, disclosure_uuid: uuid.UUID) -> Disclosure:
    return scoped_record(request, Disclosure.objects.select_related(
        "client__program", "client__primary_peer", "consent", "disclosed_by"), disclosure_uuid)


def scoped_document(request, document_uuid: uuid.UUID) -> Document:
    return scoped_record(request, Document.objects.select_related("client__program", "uploaded_by"), document_uuid)


def log_file(request, obj, client, *, action: str = AccessLog.Action.EXPORT) -> None:
    """The access-log row of a file taken out of Lantern (a PDF, a CSV, a JSON file, a document)."""
    log_access(request, obj, action=action, client_uuid=client.uuid, program_id=client.program_id)

"""Documents kept with the record: checked by content and size, stored under a random name, listed on the
participant page, downloaded only in scope, each download logged, final once added."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse

from records.models import Document
from recovery.models import AccessLog
from recovery.uploads import TOO_LARGE, WRONG_TYPE
from tests.factories import MINIMAL_PDF, DocumentFactory, days
from tests.spanish import get_in_spanish


def _upload(name="Mina Mine licence.pdf", content=MINIMAL_PDF, **data) -> dict:
    return {"kind": "identification", "title": "Driver's licence", "received_on": days(0).isoformat(),
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"), "form_token": str(uuid.uuid4()),
            **data}


def test_a_peer_adds_a_document_stored_under_a_random_name(login, peer, mine, uploads):
    response = login(peer).post(reverse("records:document_new", args=[mine.uuid]), _upload())
    document = Document.objects.get(client=mine)
    assert response.url == mine.get_absolute_url() + "#documents"
    assert document.file.name.startswith("documents/") and "Mina" not in document.file.name
    assert document.uploaded_by == peer


def test_a_file_that_is_not_a_pdf_or_image_is_refused_at_the_field(login, peer, mine, uploads):
    response = login(peer).post(reverse("records:document_new", args=[mine.uuid]),
                                _upload(name="letter.pdf", content=b"MZ\x90\x00 not a pdf", title="Kept title"))
    assert response.context["form"].errors["file"] == [WRONG_TYPE]
    assert "Kept title" in response.content.decode() and not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused(login, peer, mine, uploads, monkeypatch):
    monkeypatch.setattr("recovery.uploads.validate_document.__kwdefaults__", {"max_bytes": 10})
    response = login(peer).post(reverse("records:document_new", args=[mine.uuid]), _upload())
    assert response.context["form"].errors["file"] == [TOO_LARGE.format(limit=0)]


def test_the_participant_page_lists_documents_and_the_download_is_logged(login, supervisor, mine, uploads):
    document = DocumentFactory(client=mine, title="Discharge letter from Riverside")
    http = login(supervisor)
    assert "Discharge letter from Riverside" in http.get(mine.get_absolute_url()).content.decode()
    response = http.get(reverse("records:document_file", args=[document.uuid]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "Riverside" not in disposition
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert AccessLog.objects.filter(action="download", object_id=str(document.uuid)).count() == 1


def test_out_of_scope_documents_are_not_found_and_not_logged(login, other_peer, outsider, mine, uploads):
    document = DocumentFactory(client=mine)
    for user in (other_peer, outsider):
        assert login(user).get(reverse("records:document_file", args=[document.uuid])).status_code == 404
    assert not AccessLog.objects.filter(action="download").exists()


def test_a_document_missing_from_storage_is_a_404(login, peer, mine, uploads):
    document = DocumentFactory(client=mine)
    (uploads / document.file.name).unlink()
    assert login(peer).get(reverse("records:document_file", args=[document.uuid])).status_code == 404


def test_a_document_once_added_stays(mine, uploads):
    document = DocumentFactory(client=mine)
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(title="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).delete()


def test_the_accounting_of_disclosures_reads_in_spanish(login, peer, mine):
    page = get_in_spanish(login(peer), reverse("records:accounting", args=[mine.uuid])).content.decode()
    assert "Registro de divulgaciones" in page and "Registrar una divulgación" in page
    assert "Accounting of disclosures" not in page

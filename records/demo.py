"""Demo disclosures and documents: a few active participants with a consent in force had information sent
under it, one had information shared in a medical emergency, one asked for their own copy of the record; some
have documents (an ID, a release, a letter from a clinic). Idempotent: a program with disclosures or documents
is left alone."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from clients.models import Client, Consent
from records.forms import OWN_COPY_RECIPIENT, RECORD_INFORMATION
from records.models import Basis, Disclosure, Document, Method
from records.services import disclosure_record

# A one-page PDF that says what it is (the demo's documents are not real papers).
_STREAM = b"BT /F1 18 Tf 72 720 Td (Demo document: not a real paper) Tj ET"
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
            b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
            b"4 0 obj<</Length " + str(len(_STREAM)).encode() + b">>stream\n" + _STREAM + b"\nendstream endobj\n"
            b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

DOCUMENTS = [(Document.Kind.IDENTIFICATION, "Virginia ID card (copy)", 40),
             (Document.Kind.RELEASE, "Release to Valley Primary Care, signed", 25),
             (Document.Kind.PROVIDER_LETTER, "Discharge letter from Crossroads Detox Unit", 60)]


def seed(ctx) -> None:
    program, today = ctx.program, ctx.program.today()
    if Disclosure.objects.filter(client__program=program).exists() or \
            Document.objects.filter(client__program=program).exists():
        return
    clients = list(Client.objects.filter(program=program, status=Client.Status.ACTIVE, primary_peer__isnull=False)
                   .select_related("program", "primary_peer").order_by("name_key", "pk")[:6])
    stored = ""  # one stored file serves every demo document
    for n, client in enumerate(clients):
        _disclose_under_consent(client, today - datetime.timedelta(days=5 + n * 9))
        if n < len(DOCUMENTS):
            kind, title, ago = DOCUMENTS[n]
            document = Document(client=client, kind=kind, title=title, uploaded_by=client.primary_peer,
                                received_on=today - datetime.timedelta(days=ago), file=stored)
            if not stored:
                document.file.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
                stored = document.file.name
            document.save()
    if clients:
        _emergency_and_copy(clients[0], today)


def _disclose_under_consent(client: Client, day: datetime.date) -> None:
    consent = Consent.objects.filter(client=client).in_force_on(day).filter(signed_on__lte=day).first()
    if consent is None:
        return
    disclosure_record(client=client, by=client.primary_peer, recipient=consent.recipients.split(",")[0],
                      information="Attendance, recovery plan goals", purpose=consent.purpose, disclosed_on=day,
                      method=Method.SECURE_EMAIL, basis=Basis.CONSENT, consent=consent)


def _emergency_and_copy(client: Client, today: datetime.date) -> None:
    disclosure_record(client=client, by=client.primary_peer, recipient="Ridge Regional Hospital emergency department",
                      information="Current medications the participant told us about, emergency contact",
                      disclosed_on=today - datetime.timedelta(days=30), method=Method.PHONE,
                      basis=Basis.MEDICAL_EMERGENCY,
                      reason="Found unresponsive at the drop-in; paramedics asked what they had taken.")
    disclosure_record(client=client, by=client.primary_peer, recipient=OWN_COPY_RECIPIENT,
                      information=RECORD_INFORMATION, disclosed_on=today - datetime.timedelta(days=2),
                      method=Method.IN_PERSON, basis=Basis.OWN_REQUEST, kind=Disclosure.Kind.RECORD_EXPORT)

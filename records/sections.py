"""Where the records app shows on the participant page (``clients.sections.section_add``): the documents kept
with the record and the latest disclosures, with the ways to add either and to send a copy of the record."""

from __future__ import annotations

from django.db.models import Count, Window

from records.models import Disclosure, Document

DOCUMENTS_SHOWN = 5
DISCLOSURES_SHOWN = 3


def participant(request, client, page) -> dict:
    """The latest documents and disclosures, and how many of each there are (two queries)."""
    documents = list(Document.objects.filter(client=client).annotate(total=Window(Count("pk")))
                     .order_by("-received_on", "-pk")[:DOCUMENTS_SHOWN])
    disclosures = list(Disclosure.objects.filter(client=client).annotate(total=Window(Count("pk")))
                       .order_by("-disclosed_on", "-pk")[:DISCLOSURES_SHOWN])
    return {"client": client, "can_edit": page["can_edit"],
            "documents": documents, "documents_total": documents[0].total if documents else 0,
            "disclosures": disclosures, "disclosures_total": disclosures[0].total if disclosures else 0}

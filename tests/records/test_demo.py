"""The demo program shows the records app at work: disclosures under a consent, one under an exception, a copy
of the record the participant asked for, and documents that download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from records.coverage import refusal
from records.models import Basis, Disclosure, Document


@pytest.fixture
def demo_world(db, demo_seeded_once):
    return demo_seeded_once


def test_the_demo_has_disclosures_of_every_basis_and_documents(login, demo_world):
    disclosures = Disclosure.objects.filter(client__program=demo_world.program).select_related("consent")
    under_consent = [d for d in disclosures if d.basis == Basis.CONSENT]
    assert len(under_consent) >= 2
    for d in under_consent:  # each demo consent really covers what was disclosed under it
        assert refusal(d.consent, recipient=d.recipient, information=d.information, day=d.disclosed_on) is None
    assert {Basis.MEDICAL_EMERGENCY, Basis.OWN_REQUEST} <= {d.basis for d in disclosures}
    document = Document.objects.filter(client__program=demo_world.program).select_related("client").first()
    assert Document.objects.filter(client__program=demo_world.program).count() >= 3
    http = login(demo_world.admin)
    assert http.get(reverse("records:document_file", args=[document.uuid])).status_code == 200

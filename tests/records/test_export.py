"""The record export: a copy of the whole record, recorded as a disclosure (own request, or a transfer under a
consent naming the receiving program and the entire record), downloaded as JSON (valid against the committed
schema, every section complete) and as a PDF, each download logged."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from clients.models import Episode, NoteAddendum, RecoveryPlan
from outcomes.models import Observation
from records.export import SECTIONS
from records.forms import CONSENT_DOES_NOT_COVER, OWN_COPY_RECIPIENT, RECIPIENT_NEEDED
from records.models import Disclosure
from recovery.models import AccessLog
from tests.factories import (
    ConsentFactory,
    DisclosureFactory,
    DocumentFactory,
    ResourceFactory,
    SessionNoteFactory,
    days,
    referral_for,
)
from tests.outcomes.conftest import record, shipped_scale
from tests.records.test_disclosures import pdf_text

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "records/schema/record-export.schema.json").read_text())
N = 3


def _export_url(client) -> str:
    return reverse("records:record_export_new", args=[client.uuid])


def _full_record(client) -> dict[str, int]:
    """``N`` of every section (beyond what the participant already has), and the counts the export must show."""
    peer = client.primary_peer
    scale = shipped_scale()
    for n in range(N):
        Observation.objects.create(client=client, question="housing", observed_on=days(-n), codes=["stable"],
                                   recorded_by=peer)
        Episode.objects.create(client=client, started_on=days(-900 + n * 200), discharged_on=days(-850 + n * 200),
                               referral_source=Episode.ReferralSource.SELF, discharge_reason="completed",
                               created_by=peer)
        last = n == N - 1
        RecoveryPlan.objects.create(client=client, version=n + 1, started_on=days(-100 + n),
                                    status="active" if last else "revised", closed_on=None if last else days(-99 + n),
                                    created_by=peer)
        note = SessionNoteFactory(client=client, signed=True, session_date=days(-n - 2))
        NoteAddendum.objects.create(note=note, author=peer, text=f"Addendum {n}")
        ConsentFactory(client=client, recipients=f"Program {n}")
        record(client, scale, days(-n - 5))
        referral_for(client, ResourceFactory(program=client.program), made_on=days(-n - 3))
        DisclosureFactory(client=client, disclosed_on=days(-n - 4))
        DocumentFactory(client=client)
    SessionNoteFactory(client=client)  # a draft: not part of the record
    return {"demographics": N, "episodes": client.episodes.count(), "plans": N, "notes": N, "consents": N,
            "checkins": N, "referrals": N, "disclosures": N + 1, "documents": N}


def test_the_json_export_validates_against_its_schema_and_holds_every_section(login, peer, mine, uploads):
    expected = _full_record(mine)
    http = login(peer)
    response = http.post(_export_url(mine), {"basis": "own_request", "disclosed_on": days(0).isoformat(),
                                             "method": "in_person", "form_token": str(uuid.uuid4())})
    export = Disclosure.objects.get(kind="record_export")
    assert response.url == export.get_absolute_url()
    assert (export.recipient, export.basis, export.consent) == (OWN_COPY_RECIPIENT, "own_request", None)
    response = http.get(reverse("records:record_export_file", args=[export.uuid, "json"]))
    data = json.loads(response.content)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)
    assert {section: len(data[section]) for section in SECTIONS} == expected
    assert sum(len(note["addenda"]) for note in data["notes"]) == N
    assert data["participant"]["id"] == str(mine.uuid)
    assert data["disclosure"]["notice"] == mine.program.disclosure_notice
    assert AccessLog.objects.filter(action="export", object_id=str(export.uuid)).count() == 1


def test_the_schema_names_every_field_the_export_writes():
    """additionalProperties is false everywhere: a renamed or added field fails the test above."""
    assert set(SCHEMA["required"]) == set(SCHEMA["properties"])
    assert set(SECTIONS) <= set(SCHEMA["properties"])


def test_the_pdf_export_reads_as_the_record_with_the_notice(login, supervisor, mine, uploads):
    _full_record(mine)
    export = DisclosureFactory(client=mine, basis="own_request", kind="record_export", recipient=OWN_COPY_RECIPIENT,
                               information="entire record")
    response = login(supervisor).get(reverse("records:record_export_file", args=[export.uuid, "pdf"]))
    text = pdf_text(response.content)
    assert f"Record of {mine.full_name}" in text and "42 CFR part 2" in text and "Addendum 1" in text
    assert AccessLog.objects.filter(action="export", object_id=str(export.uuid), user=supervisor).count() == 1


def test_a_transfer_needs_a_consent_naming_the_program_and_the_entire_record(login, peer, mine):
    narrow = ConsentFactory(client=mine, recipients="Riverside Recovery Program", information="Attendance only")
    http = login(peer)
    data = {"basis": "consent", "disclosed_on": days(0).isoformat(), "method": "portal",
            "form_token": str(uuid.uuid4())}
    response = http.post(_export_url(mine), data)
    assert response.context["form"].errors["recipient"] == [RECIPIENT_NEEDED]
    response = http.post(_export_url(mine), {**data, "recipient": "Riverside Recovery Program",
                                             "consent": str(narrow.uuid)})
    assert response.context["form"].errors["consent"][0].startswith(CONSENT_DOES_NOT_COVER.split("{")[0])
    assert not Disclosure.objects.exists()
    full = ConsentFactory(client=mine, recipients="Riverside Recovery Program", information="The entire record")
    http.post(_export_url(mine), {**data, "recipient": "Riverside Recovery Program", "consent": str(full.uuid)})
    assert Disclosure.objects.get().consent == full


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_a_plain_disclosure_has_no_record_to_download(login, peer, mine, fmt):
    disclosure = DisclosureFactory(client=mine)
    assert login(peer).get(reverse("records:record_export_file", args=[disclosure.uuid, fmt])).status_code == 404


def test_another_programs_staff_cannot_download_the_record(login, outsider, other_peer, mine):
    export = DisclosureFactory(client=mine, basis="own_request", kind="record_export", recipient=OWN_COPY_RECIPIENT)
    for user in (outsider, other_peer):
        assert login(user).get(reverse("records:record_export_file", args=[export.uuid, "json"])).status_code == 404
    assert not AccessLog.objects.filter(action="export").exists()

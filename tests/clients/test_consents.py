"""42 CFR Part 2 consents: the structured elements, computed status, revocation as a new state, the
scanned copy served by a scoped, logged view, and history with the user (Done when 4 and 6)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from pghistory.models import Context

from clients.forms.consents import (
    EXPIRY_BEFORE_SIGNATURE,
    EXPIRY_DATE_NEEDED,
    EXPIRY_EVENT_NEEDED,
    NO_EXPIRY_ONLY_FOR_TPO,
    REDISCLOSURE_NEEDED,
    REVOKED_BEFORE_SIGNED,
    RIGHT_TO_REVOKE_NEEDED,
)
from clients.models import Consent
from recovery.fields import DATE_IN_FUTURE
from recovery.models import AccessLog
from recovery.uploads import WRONG_TYPE
from tests.clients.conftest import PDF_BYTES
from tests.factories import ConsentFactory, days


def consent_data(**overrides) -> dict:
    data = {
        "discloser": "Riverside Peer Recovery", "information": "Attendance and recovery plan goals.",
        "recipients": "Valley Primary Care, Dr. Rivera", "purpose": "Coordinate care with my doctor.",
        "right_to_revoke_explained": "on", "expiry_event": "date", "expires_on": days(365).isoformat(),
        "expiry_event_detail": "", "signed_on": days(0).isoformat(), "signature_method": "paper",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_peer_records_a_consent_with_its_scanned_copy(login, peer, mine, uploads):
    scan = SimpleUploadedFile("Mina Mine consent.pdf", PDF_BYTES, content_type="application/pdf")
    response = login(peer).post(reverse("clients:consent_new", args=[mine.uuid]), {**consent_data(), "scan": scan})
    consent = Consent.objects.get(client=mine)
    assert response.url == reverse("clients:consent_detail", args=[consent.uuid])
    assert (consent.created_by, consent.recipients, consent.expires_on) == (peer, "Valley Primary Care, Dr. Rivera",
                                                                           days(365))
    assert consent.scan.name.startswith("consents/") and "Mina" not in consent.scan.name
    assert consent.status_on(days(0)) == Consent.Status.ACTIVE


def test_expiry_before_signature_is_rejected_at_the_field_with_the_data_kept(login, peer, mine):
    data = consent_data(expires_on=days(-3).isoformat(), recipients="Dr. Kept Typing")
    response = login(peer).post(reverse("clients:consent_new", args=[mine.uuid]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"] == [EXPIRY_BEFORE_SIGNATURE]
    assert "Dr. Kept Typing" in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"expires_on": ""}, "expires_on", EXPIRY_DATE_NEEDED),
    ({"expiry_event": "none"}, "expiry_event", NO_EXPIRY_ONLY_FOR_TPO),
    ({"expiry_event": "other"}, "expiry_event_detail", EXPIRY_EVENT_NEEDED),
    ({"is_tpo": "on"}, "redisclosure_notice", REDISCLOSURE_NEEDED),
    ({"right_to_revoke_explained": None}, "right_to_revoke_explained", RIGHT_TO_REVOKE_NEEDED),
    ({"signed_on": days(1).isoformat()}, "signed_on", DATE_IN_FUTURE),
])
def test_incomplete_consents_are_rejected_at_the_field(login, peer, mine, overrides, field, message):
    response = login(peer).post(reverse("clients:consent_new", args=[mine.uuid]), consent_data(**overrides))
    assert response.context["form"].errors[field] == [message]


def test_a_tpo_consent_may_have_no_expiry(login, peer, mine):
    data = consent_data(is_tpo="on", redisclosure_notice="on", expiry_event="none", expires_on=days(30).isoformat())
    assert login(peer).post(reverse("clients:consent_new", args=[mine.uuid]), data).status_code == 302
    consent = Consent.objects.get()
    assert consent.expires_on is None and consent.expiry_text.startswith("None")


def test_a_non_document_upload_is_refused(login, peer, mine, uploads):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = login(peer).post(reverse("clients:consent_new", args=[mine.uuid]), {**consent_data(), "scan": fake})
    assert response.context["form"].errors["scan"] == [WRONG_TYPE]


def test_a_double_submitted_consent_is_recorded_once(login, peer, mine):
    client = login(peer)
    data = consent_data()
    client.post(reverse("clients:consent_new", args=[mine.uuid]), data)
    client.post(reverse("clients:consent_new", args=[mine.uuid]), data)
    assert Consent.objects.count() == 1


def test_status_is_computed_from_the_program_date(mine):
    consent = ConsentFactory(client=mine, signed_on=days(-100), expires_on=days(-1))
    assert consent.status_on(days(0)) == Consent.Status.EXPIRED
    assert consent.status_on(days(-1)) == Consent.Status.ACTIVE
    assert list(Consent.objects.in_force_on(days(0))) == []
    soon = ConsentFactory(client=mine, expires_on=days(20))
    assert soon.expires_within(days(0), 30) and not soon.expires_within(days(0), 10)


def test_revocation_is_a_new_state_not_a_deletion(login, peer, mine):
    consent = ConsentFactory(client=mine)
    response = login(peer).post(reverse("clients:consent_revoke", args=[consent.uuid]), {
        "revoked_on": days(0).isoformat(), "revocation_method": "orally", "revocation_note": "Said so by phone."})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.revoked_on, consent.revocation_method, consent.revoked_by) == (days(0), "orally", peer)
    assert consent.status_on(days(0)) == Consent.Status.REVOKED
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_revocation_before_signature_is_rejected(login, peer, mine):
    consent = ConsentFactory(client=mine, signed_on=days(-5))
    response = login(peer).post(reverse("clients:consent_revoke", args=[consent.uuid]), {
        "revoked_on": days(-6).isoformat(), "revocation_method": "writing"})
    assert response.context["form"].errors["revoked_on"] == [REVOKED_BEFORE_SIGNED]


def test_the_database_keeps_a_consent_as_signed(mine, peer):
    consent = ConsentFactory(client=mine)
    for change in (
        lambda: Consent.objects.filter(pk=consent.pk).update(recipients="Someone else"),
        lambda: Consent.objects.filter(pk=consent.pk).update(expires_on=days(900)),
        lambda: Consent.objects.filter(pk=consent.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    Consent.objects.filter(pk=consent.pk).update(revoked_on=days(0), revocation_method="writing", revoked_by=peer)
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(revoked_on=None, revocation_method="")


def test_the_database_requires_the_elements_of_a_consent(mine, peer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentFactory(client=mine, right_to_revoke_explained=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentFactory(client=mine, signed_on=days(0), expires_on=days(-1))


def test_consent_page_and_download_are_logged(login, world, supervisor):
    client = login(supervisor)
    page = client.get(reverse("clients:consent_detail", args=[world.consent.uuid]))
    assert "Dr. Example, Valley Primary Care" in page.content.decode()
    download = client.get(reverse("clients:consent_scan", args=[world.consent.uuid]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment;")
    actions = list(AccessLog.objects.order_by("pk").values_list("action", "object_type", "client_uuid"))
    who = world.client.uuid
    assert actions == [("view", "clients.consent", who), ("download", "clients.consent", who)]


def test_a_consent_without_a_scan_has_nothing_to_download(login, peer, mine):
    consent = ConsentFactory(client=mine)
    assert login(peer).get(reverse("clients:consent_scan", args=[consent.uuid])).status_code == 404


def test_the_scan_can_be_attached_later_but_not_replaced(login, peer, mine, uploads):
    consent = ConsentFactory(client=mine)
    client = login(peer)
    scan = SimpleUploadedFile("later.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(reverse("clients:consent_scan_upload", args=[consent.uuid]), {"scan": scan}).status_code == 302
    consent.refresh_from_db()
    assert consent.scan
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(scan="consents/other.pdf")


def test_consent_changes_keep_history_with_the_user(login, peer, mine):
    consent = ConsentFactory(client=mine)
    login(peer).post(reverse("clients:consent_revoke", args=[consent.uuid]), {
        "revoked_on": days(0).isoformat(), "revocation_method": "writing"})
    event = consent.events.order_by("-pgh_id").first()
    assert event.pgh_label == "update" and event.revoked_on == days(0)
    assert Context.objects.get(pk=event.pgh_context_id).metadata["user"] == peer.pk


def test_participant_page_marks_expiring_and_revoked_consents(login, peer, mine):
    ConsentFactory(client=mine, expires_on=days(10))
    ConsentFactory(client=mine, revoked_on=days(0), revocation_method="writing")
    html = login(peer).get(reverse("clients:detail", args=[mine.uuid])).content.decode()
    assert "Active, expires soon" in html and "Revoked" in html


def test_a_scan_missing_from_storage_is_a_404_not_an_error(login, world, peer, uploads):
    (uploads / world.consent.scan.name).unlink()
    assert login(peer).get(reverse("clients:consent_scan", args=[world.consent.uuid])).status_code == 404
    assert not AccessLog.objects.filter(action="download").exists()


def test_the_consent_form_shows_the_expiry_date_or_the_event_detail_only_for_their_choice(login, mine, peer):
    html = login(peer).get(reverse("clients:consent_new", args=[mine.uuid])).content.decode()
    assert 'data-show-value="date" data-show-when="expiry_event"' in html
    assert 'data-show-value="other" data-show-when="expiry_event"' in html
    assert "js/show-when.js" in html

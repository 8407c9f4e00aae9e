"""Bad input is rejected at the field with the typed data kept (Done-when 4); a double submit creates one row."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from peers import forms
from peers.models import ContinuingEducation, Credential, CredentialType, TraineeHours
from recovery.uploads import TOO_LARGE, WRONG_TYPE
from tests.factories import CPRS, ContinuingEducationFactory, CredentialFactory, TraineeHoursFactory, default_type

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def once() -> dict:
    """A fresh one-time token, as a create form renders it (recovery.once)."""
    return {"form_token": str(uuid.uuid4())}


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def ce_data(**overrides):
    data = {"completed_on": "2026-03-01", "title": "Motivational interviewing", "provider": "Training Co",
            "domain": "wellness", "hours": "6", "ethics_hours": "1"}
    return {**data, **overrides}


def post_ce(client, user, data, files=None):
    return client.post(reverse("peers:ce_add", args=[user.uuid]), {**once(), **data, **(files or {})})


def assert_rejected(response, field, message, kept: dict):
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors[field], form.errors
    html = response.content.decode()
    for name, value in kept.items():
        assert form.data[name] == value
        assert f'value="{value}"' in html or f">{value}<" in html, name


# --- Credentials ------------------------------------------------------------------------------------


def credential_data(**overrides):
    return {**once(), "type": default_type(CPRS).pk, "number": "CPRS-123", "issued_on": "2026-01-10",
            "expires_on": "2028-01-10", **overrides}


def test_expiry_before_issue_is_rejected_at_the_expiry_date(frozen_today, login, admin, peer):
    response = login(admin).post(reverse("peers:credential_add", args=[peer.uuid]),
                                 credential_data(expires_on="2025-12-31"))
    assert_rejected(response, "expires_on", forms.EXPIRY_BEFORE_ISSUE,
                    {"number": "CPRS-123", "issued_on": "2026-01-10", "expires_on": "2025-12-31"})
    assert not Credential.objects.exists()


def test_expiry_on_the_issue_day_is_rejected(frozen_today, login, admin, peer):
    response = login(admin).post(reverse("peers:credential_add", args=[peer.uuid]),
                                 credential_data(expires_on="2026-01-10"))
    assert forms.EXPIRY_BEFORE_ISSUE in response.context["form"].errors["expires_on"]


def test_expiry_without_issue_date_is_rejected(frozen_today, login, admin, peer):
    response = login(admin).post(reverse("peers:credential_add", args=[peer.uuid]), credential_data(issued_on=""))
    assert_rejected(response, "issued_on", forms.EXPIRY_WITHOUT_ISSUE, {"expires_on": "2028-01-10"})


def test_a_second_open_credential_of_the_same_type_is_rejected(frozen_today, login, admin, peer, program_membership):
    CredentialFactory(membership=program_membership(peer))
    response = login(admin).post(reverse("peers:credential_add", args=[peer.uuid]), credential_data())
    assert forms.ALREADY_HELD in response.context["form"].errors["type"]
    assert Credential.objects.count() == 1


def test_end_date_before_issue_or_in_the_future_is_rejected(frozen_today, login, admin, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer), issued_on=frozen_today - timedelta(days=10),
                                   expires_on=frozen_today + timedelta(days=300))
    client = login(admin)
    end = reverse("peers:credential_end", args=[credential.uuid])
    before = client.post(end, {"ended_on": str(frozen_today - timedelta(days=11)), "reason": "lapsed"})
    assert forms.END_BEFORE_ISSUE in before.context["end_form"].errors["ended_on"]
    future = client.post(end, {"ended_on": str(frozen_today + timedelta(days=1)), "reason": "lapsed"})
    assert forms.IN_THE_FUTURE in future.context["end_form"].errors["ended_on"]
    assert future.context["end_form"].data["reason"] == "lapsed"
    credential.refresh_from_db()
    assert credential.ended_on is None


# --- Continuing education ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"hours": "-2"}, "hours", forms.NOT_POSITIVE),
        ({"hours": "0"}, "hours", forms.NOT_POSITIVE),
        ({"hours": "25"}, "hours", forms.TOO_MANY_HOURS),
        ({"hours": "3", "ethics_hours": "4"}, "ethics_hours", forms.ETHICS_ABOVE_TOTAL),
        ({"ethics_hours": "-1"}, "ethics_hours", forms.NOT_POSITIVE),
        ({"completed_on": "2026-03-17"}, "completed_on", forms.IN_THE_FUTURE),
    ],
)
def test_bad_ce_hours_and_dates_are_rejected_at_the_field(frozen_today, login, peer, overrides, field, message):
    data = ce_data(**overrides)
    response = post_ce(login(peer), peer, data)
    assert_rejected(response, field, message, {"title": data["title"], "provider": data["provider"]})
    assert not ContinuingEducation.objects.exists()


def test_a_renamed_executable_is_rejected_as_a_certificate(frozen_today, login, peer, uploads):
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = post_ce(login(peer), peer, ce_data(), {"certificate": fake})
    assert_rejected(response, "certificate", WRONG_TYPE, {"title": "Motivational interviewing", "hours": "6"})
    assert "choose the file again" in response.content.decode()
    assert not ContinuingEducation.objects.exists()
    assert not any(uploads.rglob("*.*"))


def test_an_oversized_certificate_is_rejected(frozen_today, login, peer, uploads):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * forms.CERTIFICATE_MAX_BYTES, content_type="application/pdf")
    response = post_ce(login(peer), peer, ce_data(), {"certificate": big})
    message = TOO_LARGE.format(limit=forms.CERTIFICATE_MAX_BYTES // (1024 * 1024))
    assert_rejected(response, "certificate", message, {"title": "Motivational interviewing"})
    assert not ContinuingEducation.objects.exists()


def test_good_ce_with_a_certificate_is_stored_under_a_random_name(frozen_today, login, peer, uploads,
                                                                  program_membership):
    cert = SimpleUploadedFile("Pat Peer ethics.pdf", PDF, content_type="application/pdf")
    response = post_ce(login(peer), peer, ce_data(), {"certificate": cert})
    assert response.status_code == 302
    entry = ContinuingEducation.objects.get()
    assert (entry.membership, entry.hours, entry.ethics_hours) == (program_membership(peer), Decimal(6), Decimal(1))
    assert entry.certificate.name.startswith("ce_certificates/") and "Pat" not in entry.certificate.name
    download = login(peer).get(reverse("peers:ce_certificate", args=[entry.uuid]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith('attachment; filename="ce-certificate-2026-03-01.pdf"')


def test_ethics_hours_default_to_zero(frozen_today, login, peer):
    post_ce(login(peer), peer, ce_data(ethics_hours=""))
    assert ContinuingEducation.objects.get().ethics_hours == 0


# --- Trainee hours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hours, message",
    [("-1", forms.NOT_POSITIVE), ("24.5", forms.TOO_MANY_HOURS), ("100", forms.TOO_MANY_HOURS)],
)
def test_absurd_trainee_hours_are_rejected(frozen_today, login, peer, hours, message):
    data = {"kind": "experience", "worked_on": "2026-03-10", "hours": hours, "note": "Groups and documentation"}
    response = login(peer).post(reverse("peers:hours_add", args=[peer.uuid]), {**once(), **data})
    assert_rejected(response, "hours", message, {"note": "Groups and documentation", "hours": hours})
    assert not TraineeHours.objects.exists()


def test_more_than_24_hours_on_one_day_in_all_is_rejected(frozen_today, login, peer, program_membership):
    TraineeHoursFactory(membership=program_membership(peer), worked_on=frozen_today - timedelta(days=1),
                        hours=Decimal(20))
    data = {"kind": "training", "worked_on": str(frozen_today - timedelta(days=1)), "hours": "5"}
    response = login(peer).post(reverse("peers:hours_add", args=[peer.uuid]), {**once(), **data})
    assert forms.DAY_OVER_24.format(logged="20") in response.context["form"].errors["hours"]
    assert TraineeHours.objects.count() == 1


def test_editing_an_entry_does_not_count_it_twice_toward_the_day(frozen_today, login, peer, program_membership):
    entry = TraineeHoursFactory(membership=program_membership(peer), worked_on=frozen_today, hours=Decimal(20))
    data = {"kind": entry.kind, "worked_on": str(frozen_today), "hours": "22"}
    assert login(peer).post(reverse("peers:hours_edit", args=[entry.uuid]), data).status_code == 302
    entry.refresh_from_db()
    assert entry.hours == 22


# --- Credential types -------------------------------------------------------------------------------


def type_data(**overrides):
    return {**once(), "name": "Peer Support Specialist (state)", "abbreviation": "PSS", "issuing_body": "State board",
            "cycle_months": "24", "ce_hours": "10", "ethics_hours": "2", "training_hours_required": "40",
            "experience_hours_required": "0", "supervision_hours_required": "0", "is_active": "on", **overrides}


def test_type_with_more_ethics_than_ce_hours_is_rejected(login, admin):
    response = login(admin).post(reverse("peers:type_add"), type_data(ethics_hours="12"))
    assert_rejected(response, "ethics_hours", forms.ETHICS_ABOVE_TOTAL, {"name": "Peer Support Specialist (state)"})


def test_type_with_a_name_already_used_is_rejected(login, admin):
    response = login(admin).post(reverse("peers:type_add"), type_data(name=CPRS.upper()))
    assert "already has a credential type with this name" in str(response.context["form"].errors["name"])


# --- One record per submit --------------------------------------------------------------------------


def submit_twice(client, path, data):
    token = client.get(path).context["form"]["form_token"].value()  # the one-time token rendered with the form
    data = {**data, "form_token": str(token)}
    first, second = client.post(path, data), client.post(path, data)
    return first, second


def test_double_submitted_ce_creates_one_entry(frozen_today, login, peer):
    first, second = submit_twice(login(peer), reverse("peers:ce_add", args=[peer.uuid]), ce_data())
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert ContinuingEducation.objects.count() == 1


def test_double_submitted_credential_creates_one_credential(frozen_today, login, admin, peer):
    first, second = submit_twice(login(admin), reverse("peers:credential_add", args=[peer.uuid]), credential_data())
    assert first.status_code == second.status_code == 302
    assert Credential.objects.count() == 1


def test_double_submitted_hours_create_one_entry(frozen_today, login, peer):
    data = {"kind": "supervision", "worked_on": "2026-03-10", "hours": "1"}
    first, second = submit_twice(login(peer), reverse("peers:hours_add", args=[peer.uuid]), {**once(), **data})
    assert first.status_code == second.status_code == 302
    assert TraineeHours.objects.count() == 1


def test_double_submitted_type_creates_one_type(login, admin, program):
    first, second = submit_twice(login(admin), reverse("peers:type_add"), type_data())
    assert first.status_code == second.status_code == 302
    assert CredentialType.objects.filter(program=program).count() == 1


def test_a_token_cannot_reach_another_persons_row(frozen_today, login, peer, other_peer, program_membership):
    theirs = ContinuingEducationFactory(membership=program_membership(other_peer))
    response = post_ce(login(peer), peer, {**ce_data(), "form_token": str(theirs.uuid)})
    assert response.status_code == 302
    assert response.url == reverse("peers:staff_detail", args=[peer.uuid]) + "#ce"
    assert ContinuingEducation.objects.filter(membership=program_membership(peer)).count() == 1
    assert ContinuingEducation.objects.get(pk=theirs.pk).title == theirs.title


# --- The database holds the invariants too ------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda mm: ContinuingEducationFactory(membership=mm, hours=Decimal(25)),
        lambda mm: ContinuingEducationFactory(membership=mm, hours=Decimal(2), ethics_hours=Decimal(3)),
        lambda mm: TraineeHoursFactory(membership=mm, hours=Decimal(0)),
        lambda mm: CredentialFactory(membership=mm, issued_on="2026-01-01", expires_on="2025-01-01"),
        lambda mm: CredentialFactory(membership=mm, issued_on="2026-01-01", expires_on=None),
        lambda mm: CredentialFactory(membership=mm, ended_on="2026-01-01", end_reason=""),
        lambda mm: [CredentialFactory(membership=mm), CredentialFactory(membership=mm)],
        lambda mm: CredentialType.objects.create(name="X", issuing_body="Y", cycle_months=12, ce_hours=2,
                                                 ethics_hours=3),
    ],
    ids=["ce-over-24h", "ethics-above-total", "zero-hours", "expiry-before-issue", "issue-without-expiry",
         "end-without-reason", "two-open-of-a-type", "type-ethics-above-ce"],
)
def test_database_constraints_reject_what_forms_reject(peer, program_membership, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(program_membership(peer))

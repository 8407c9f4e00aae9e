"""Managing staff records: credentials, CE, hours, profile, credential types; the record page itself."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peers.models import ContinuingEducation, Credential, CredentialType, StaffProfile, Status, TraineeHours
from recovery.models import Membership
from tests.factories import (
    CPRS,
    PR,
    RPRS,
    ContinuingEducationFactory,
    CredentialFactory,
    CredentialTypeFactory,
    TraineeHoursFactory,
    default_type,
    make_staff,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def once() -> dict:
    """A fresh one-time token, as a create form renders it (recovery.once)."""
    return {"form_token": str(uuid.uuid4())}


def record(client, user):
    return client.get(reverse("peers:staff_detail", args=[user.uuid]))


# --- Credentials --------------------------------------------------------------------------------------


def test_admin_adds_a_credential_and_the_expiry_defaults_to_one_cycle(frozen_today, login, admin, peer,
                                                                      program_membership):
    response = login(admin).post(reverse("peers:credential_add", args=[peer.uuid]), {**once(),
        "type": default_type(RPRS).pk, "number": "0117-001234", "issued_on": "2026-01-31", "expires_on": ""})
    assert response.status_code == 302
    assert response.url == reverse("peers:staff_detail", args=[peer.uuid]) + "#credentials"
    credential = Credential.objects.get()
    assert (credential.membership, credential.number) == (program_membership(peer), "0117-001234")
    assert str(credential.expires_on) == "2027-01-31"


def test_admin_records_a_credential_in_training(frozen_today, login, admin, peer):
    login(admin).post(reverse("peers:credential_add", args=[peer.uuid]), {**once(), "type": default_type(PR).pk})
    credential = Credential.objects.with_status(frozen_today).get()
    assert credential.status == Status.IN_TRAINING


def test_admin_certifies_a_trainee_by_giving_the_dates(frozen_today, login, admin, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer), in_training=True)
    response = login(admin).post(reverse("peers:credential_edit", args=[credential.uuid]), {
        "type": credential.type_id, "number": "CPRS-9", "issued_on": "2026-03-01", "expires_on": "2028-03-01"})
    assert response.status_code == 302
    assert Credential.objects.with_status(frozen_today).get().status in (Status.CURRENT, Status.CE_SHORT)


def test_admin_ends_a_credential_and_it_stays_on_the_record(frozen_today, login, admin, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer), today=frozen_today)
    client = login(admin)
    response = client.post(reverse("peers:credential_end", args=[credential.uuid]),
                           {"ended_on": str(frozen_today), "reason": "left"})
    assert response.status_code == 302
    credential.refresh_from_db()
    assert (credential.ended_on, credential.end_reason) == (frozen_today, "left")
    html = record(client, peer).content.decode()
    assert "Left the program" in html
    # Once ended it can be added again (a new cycle of the same credential).
    assert client.get(reverse("peers:credential_add", args=[peer.uuid])).status_code == 200
    assert client.post(reverse("peers:credential_end", args=[credential.uuid]),
                       {"ended_on": str(frozen_today), "reason": "left"}).status_code == 404


def test_edit_page_offers_to_end_the_credential(frozen_today, login, admin, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer))
    html = login(admin).get(reverse("peers:credential_edit", args=[credential.uuid])).content.decode()
    assert "End this credential" in html and 'value="' + credential.number + '"' in html


# --- CE ---------------------------------------------------------------------------------------------


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def test_peer_edits_their_ce_and_removes_the_certificate(frozen_today, login, peer, program_membership, uploads):
    entry = ContinuingEducationFactory(membership=program_membership(peer))
    entry.certificate.save("c.pdf", SimpleUploadedFile("c.pdf", PDF))
    client = login(peer)
    response = client.post(reverse("peers:ce_edit", args=[entry.uuid]), {
        "completed_on": str(entry.completed_on), "title": "Renamed", "provider": "P", "domain": "ethics",
        "hours": "3", "ethics_hours": "3", "remove_certificate": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.hours, entry.certificate.name) == ("Renamed", 3, "")
    assert client.get(reverse("peers:ce_certificate", args=[entry.uuid])).status_code == 404


def test_admin_replaces_a_certificate(frozen_today, login, admin, peer, program_membership, uploads):
    entry = ContinuingEducationFactory(membership=program_membership(peer))
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    login(admin).post(reverse("peers:ce_edit", args=[entry.uuid]), {
        "completed_on": str(entry.completed_on), "title": entry.title, "provider": "P", "domain": "other",
        "hours": "2", "ethics_hours": "0", "certificate": SimpleUploadedFile("scan.png", png)})
    entry.refresh_from_db()
    assert entry.certificate.name.endswith(".png")


def test_peer_deletes_their_ce_entry(frozen_today, login, peer, program_membership):
    entry = ContinuingEducationFactory(membership=program_membership(peer))
    assert login(peer).post(reverse("peers:ce_delete", args=[entry.uuid])).status_code == 302
    assert not ContinuingEducation.objects.exists()


def test_logged_ce_moves_the_status_from_ce_short_to_current(frozen_today, login, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today, expires_in=200)
    client = login(peer)
    for title, hours, ethics in [("Ethics", "2", "2"), ("Harm reduction", "6", "0")]:
        client.post(reverse("peers:ce_add", args=[peer.uuid]), {**once(),
            "completed_on": str(frozen_today), "title": title, "provider": "P", "domain": "other",
            "hours": hours, "ethics_hours": ethics})
    assert Credential.objects.with_status(frozen_today).get().status == Status.CURRENT


# --- Trainee hours ----------------------------------------------------------------------------------


def test_trainee_logs_hours_and_sees_what_is_still_needed(frozen_today, login, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(PR), in_training=True)
    client = login(peer)
    response = client.post(reverse("peers:hours_add", args=[peer.uuid]),
                           {**once(), "kind": "supervision", "worked_on": str(frozen_today), "hours": "1.5",
                            "note": "Weekly"})
    assert response.status_code == 302
    html = record(client, peer).content.decode()
    assert "What I still need to be certified" in html  # not yet certified: nothing to renew (issue 15)
    assert "46 h training, 500 h experience, 23.5 h supervision" in html


def test_peer_deletes_an_hours_entry(frozen_today, login, peer, program_membership):
    entry = TraineeHoursFactory(membership=program_membership(peer))
    assert login(peer).post(reverse("peers:hours_delete", args=[entry.uuid])).status_code == 302
    assert not TraineeHours.objects.exists()


# --- Profile ----------------------------------------------------------------------------------------


def test_admin_edits_a_peers_profile_and_supervisor(frozen_today, login, admin, peer, other_supervisor,
                                                    program_membership):
    response = login(admin).post(reverse("peers:profile_edit", args=[peer.uuid]), {
        "hire_date": "2024-05-01", "lived_experience": "family", "supervisor": other_supervisor.pk,
        "is_active": "on"})
    assert response.status_code == 302
    profile = StaffProfile.objects.get(membership=program_membership(peer))
    assert (str(profile.hire_date), profile.lived_experience) == ("2024-05-01", "family")
    assert program_membership(peer).supervisor == other_supervisor


def test_supervisor_profile_records_prs_supervisor_training(frozen_today, login, admin, supervisor, program_membership):
    client = login(admin)
    form = client.get(reverse("peers:profile_edit", args=[supervisor.uuid])).context["form"]
    assert "supervisor_training_on" in form.fields and "supervisor" not in form.fields
    client.post(reverse("peers:profile_edit", args=[supervisor.uuid]),
                {"supervisor_training_on": "2025-06-01", "is_active": "on"})
    profile = StaffProfile.objects.get(membership=program_membership(supervisor))
    assert str(profile.supervisor_training_on) == "2025-06-01"
    assert "PRS supervisor training" in record(client, supervisor).content.decode()


def test_saving_a_profile_never_makes_anyone_former_staff(frozen_today, login, admin, peer, program_membership):
    client = login(admin)
    for someone in (peer, admin):
        response = client.post(reverse("peers:profile_edit", args=[someone.uuid]), {"lived_experience": ""})
        assert response.status_code == 302
        assert program_membership(someone).is_active is True


def test_profile_rejects_a_future_supervisor_training_date(frozen_today, login, admin, supervisor):
    response = login(admin).post(reverse("peers:profile_edit", args=[supervisor.uuid]),
                                 {"supervisor_training_on": "2026-12-01", "is_active": "on"})
    assert response.status_code == 200
    assert "future" in str(response.context["form"].errors["supervisor_training_on"])


# --- The record page --------------------------------------------------------------------------------


def test_peer_sees_their_renewal_needs(frozen_today, login, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today, expires_in=40)
    ContinuingEducationFactory(membership=program_membership(peer), hours=Decimal(7), ethics_hours=Decimal(1))
    html = record(login(peer), peer).content.decode()
    assert "What I still need before renewal" in html
    assert "in 40 days" in html
    assert "<strong>1 CE hour</strong>, of which <strong>1 ethics hour</strong>" in html
    assert "Edit profile" not in html and "Add credential" not in html
    assert "Log continuing education" in html


def test_ethics_short_with_total_met_is_spelled_out(frozen_today, login, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today, expires_in=200)
    ContinuingEducationFactory(membership=program_membership(peer), hours=Decimal(8), ethics_hours=Decimal(1))
    html = record(login(peer), peer).content.decode()
    assert "the total is met, ethics is not" in html


def test_record_says_whether_the_person_is_billable_today(frozen_today, login, admin, peer, program_membership):
    client = login(admin)
    assert "Not billable today" in record(client, peer).content.decode()
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today, expires_in=10)
    assert "Billable today" in record(client, peer).content.decode()


def test_admin_sees_who_changed_a_credential_and_what(frozen_today, login, admin, peer):
    client = login(admin)
    client.post(reverse("peers:credential_add", args=[peer.uuid]), {**once(),
        "type": default_type(RPRS).pk, "number": "R-1", "issued_on": "2026-01-31", "expires_on": "2027-01-31"})
    credential = Credential.objects.get()
    client.post(reverse("peers:credential_edit", args=[credential.uuid]), {
        "type": credential.type_id, "number": "R-2", "issued_on": "2026-01-31", "expires_on": "2027-01-30"})
    response = record(client, peer)
    history = response.context["history"]
    assert [entry.action for entry in history] == ["Changed", "Added"]
    changed = {(c.label, c.before, c.after) for c in history[0].changes}
    assert changed == {("Number", "R-1", "R-2"), ("Expires", "Jan 31, 2027", "Jan 30, 2027")}
    assert history[0].who == admin.full_name
    assert "Credential history" in response.content.decode()


def test_supervisor_and_peer_do_not_see_the_credential_history(frozen_today, login, supervisor, peer,
                                                               program_membership):
    CredentialFactory(membership=program_membership(peer))
    for user in (supervisor, peer):
        response = record(login(user), peer)
        assert response.context["history"] is None
        assert "Credential history" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 40])
def test_record_page_keeps_a_fixed_query_count(frozen_today, login, admin, peer, program_membership, rows,
                                               django_assert_max_num_queries):
    for i in range(rows):
        ContinuingEducationFactory(membership=program_membership(peer), completed_on=frozen_today - timedelta(days=i))
        TraineeHoursFactory(membership=program_membership(peer), worked_on=frozen_today - timedelta(days=i))
    CredentialFactory(membership=program_membership(peer), type=default_type(CPRS))
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), in_training=True)
    credential = CredentialFactory(membership=program_membership(peer), type=default_type(PR))
    for i in range(rows):
        credential.number = f"N{i}"
        credential.save()
    client = login(admin)
    with django_assert_max_num_queries(18):
        assert record(client, peer).status_code == 200


# --- Credential types -------------------------------------------------------------------------------


def test_migration_loads_the_domain_defaults(db):
    defaults = {t.name: t for t in CredentialType.objects.filter(program=None)}
    cprs, rprs, pr = defaults[CPRS], defaults[RPRS], defaults[PR]
    assert (cprs.cycle_months, cprs.ce_hours, cprs.ethics_hours, cprs.makes_billable) == (24, 20, 3, False)
    assert (cprs.training_hours_required, cprs.experience_hours_required, cprs.supervision_hours_required) == (
        72, 500, 0)
    assert (rprs.cycle_months, rprs.ce_hours, rprs.ethics_hours, rprs.makes_billable) == (12, 8, 2, True)
    assert (pr.cycle_months, pr.ce_hours, pr.ethics_hours) == (24, 20, 6)
    assert (pr.training_hours_required, pr.experience_hours_required, pr.supervision_hours_required) == (46, 500, 25)


def test_admin_adapts_a_shared_default_for_their_program_only(frozen_today, login, admin, peer, program_membership,
                                                              other_program):
    elsewhere = make_staff(other_program, Membership.Role.PEER)
    rprs = default_type(RPRS)
    ours = CredentialFactory(membership=program_membership(peer), type=rprs)
    theirs = CredentialFactory(membership=elsewhere.memberships.get(), type=rprs)
    response = login(admin).post(reverse("peers:type_edit", args=[rprs.uuid]), {
        "name": RPRS, "abbreviation": "RPRS", "issuing_body": "Virginia Board of Counseling", "cycle_months": "12",
        "ce_hours": "8", "ethics_hours": "1", "makes_billable": "on", "training_hours_required": "0",
        "experience_hours_required": "0", "supervision_hours_required": "0", "is_active": "on"})
    assert response.status_code == 302
    version = CredentialType.objects.get(program=program_membership(peer).program)
    assert (version.replaces, version.ethics_hours) == (rprs, 1)
    rprs.refresh_from_db()
    assert rprs.ethics_hours == 2  # the default itself is unchanged
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.type, theirs.type) == (version, rprs)
    names = list(CredentialType.objects.for_program(program_membership(peer).program).values_list("pk", flat=True))
    assert version.pk in names and rprs.pk not in names
    # The version is edited in place from then on; the default's address leads to it.
    response = login(admin).get(reverse("peers:type_edit", args=[rprs.uuid]))
    assert response.status_code == 302 and response.url == reverse("peers:type_edit", args=[version.uuid])


def test_admin_adds_and_edits_a_program_type(login, admin, program):
    client = login(admin)
    client.post(reverse("peers:type_add"), {**once(),
        "name": "Peer Recovery Coach", "issuing_body": "Local board", "cycle_months": "12", "ce_hours": "6",
        "ethics_hours": "1", "training_hours_required": "30", "experience_hours_required": "100",
        "supervision_hours_required": "10", "is_active": "on"})
    kind = CredentialType.objects.get(program=program)
    client.post(reverse("peers:type_edit", args=[kind.uuid]), {
        "name": "Peer Recovery Coach", "issuing_body": "Local board", "cycle_months": "24", "ce_hours": "6",
        "ethics_hours": "1", "training_hours_required": "30", "experience_hours_required": "100",
        "supervision_hours_required": "10"})
    kind.refresh_from_db()
    assert (kind.cycle_months, kind.is_active) == (24, False)
    html = client.get(reverse("peers:type_list")).content.decode()
    assert "Peer Recovery Coach" in html and "inactive" in html


def test_inactive_types_are_not_offered_for_new_credentials(login, admin, peer, program):
    inactive = CredentialTypeFactory(program=program, is_active=False)
    form = login(admin).get(reverse("peers:credential_add", args=[peer.uuid])).context["form"]
    assert inactive not in form.fields["type"].queryset
    assert default_type(CPRS) in form.fields["type"].queryset


def test_a_long_hours_log_shows_the_latest_entries_until_asked_for_all(frozen_today, login, peer, program_membership):
    for day in range(30):
        TraineeHoursFactory(membership=program_membership(peer), worked_on=frozen_today - timedelta(days=day),
                            note=f"Day {day}")
    client = login(peer)
    html = record(client, peer).content.decode()
    assert "Day 24<" in html and "Day 25<" not in html and "Show all 30 entries" in html
    html = client.get(reverse("peers:staff_detail", args=[peer.uuid]), {"hours": "all"}).content.decode()
    assert "Day 29<" in html and "Show all" not in html


def test_an_ended_credential_can_be_corrected_beside_a_new_one_of_its_type(frozen_today, login, admin, peer,
                                                                           program_membership):
    ended = CredentialFactory(membership=program_membership(peer), ended_on=frozen_today, end_reason="lapsed",
                              number="OLD")
    CredentialFactory(membership=program_membership(peer), type=ended.type)
    response = login(admin).post(reverse("peers:credential_edit", args=[ended.uuid]), {
        "type": ended.type_id, "number": "OLD-1", "issued_on": str(ended.issued_on),
        "expires_on": str(ended.expires_on)})
    assert response.status_code == 302
    ended.refresh_from_db()
    assert ended.number == "OLD-1"


def test_a_missing_certificate_file_answers_404(frozen_today, login, peer, program_membership, uploads):
    entry = ContinuingEducationFactory(membership=program_membership(peer), certificate="ce_certificates/gone.pdf")
    assert login(peer).get(reverse("peers:ce_certificate", args=[entry.uuid])).status_code == 404

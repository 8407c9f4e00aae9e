"""Bringing staff in from a spreadsheet: new accounts inactive without a password (until invited), an
existing account joins with its sign-in, a dry run that writes nothing, all or nothing, idempotent."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peers.defaults import load_default_credential_types
from peers.models import Credential, CredentialType
from recovery.models import Membership, User

URL = reverse("peers:import")
HEADER = "full_name,email,role,supervisor_email,credential_type,credential_number,credential_issued_on," \
         "credential_expires_on\n"


def upload(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("staff.csv", (HEADER + "\n".join(lines) + "\n").encode(), content_type="text/csv")


@pytest.fixture
def types(db):
    load_default_credential_types(CredentialType)


ROWS = ["Sue Visor,sue@new.example,supervisor,,,,,",
        "Pete Newpeer,PETE@new.example,Peer specialist,sue@new.example,CPRS,CPRS-1,2024-01-01,2026-01-01",
        "Tia Trainee,tia@new.example,peer,sam@example.org,Certified Peer Recovery Specialist,,,"]


def test_dry_run_then_import_creates_inactive_accounts_memberships_and_credentials(login, admin, supervisor,
                                                                                   program, types):
    client = login(admin)
    response = client.post(URL, {"file": upload(*ROWS)})
    assert [row.outcome for row in response.context["rows"]] == ["new", "new", "new"], [
        row.reasons for row in response.context["rows"]]
    assert not User.objects.filter(email__endswith="@new.example").exists()  # the dry run wrote nothing
    assert client.post(URL, {"form_token": response.context["token"]}).status_code == 302
    pete = User.objects.get(email="pete@new.example")
    assert not pete.is_active and not pete.has_usable_password()
    membership = Membership.objects.get(user=pete, program=program)
    assert membership.role == Membership.Role.PEER and membership.supervisor.email == "sue@new.example"
    credential = Credential.objects.get(membership=membership)
    assert credential.number == "CPRS-1" and credential.issued_on.isoformat() == "2024-01-01"
    tia = Membership.objects.get(user__email="tia@new.example")
    assert tia.supervisor == supervisor and Credential.objects.get(membership=tia).issued_on is None
    event = apps.get_model("recovery", "MembershipEvent").objects.select_related("pgh_context").filter(
        pgh_obj=membership).first()
    assert event is None or "import_source" in event.pgh_context.metadata


def test_running_the_same_file_again_adds_nobody(login, admin, supervisor, types):
    client = login(admin)
    client.post(URL, {"form_token": client.post(URL, {"file": upload(*ROWS)}).context["token"]})
    count = Membership.objects.count()
    response = client.post(URL, {"file": upload(*ROWS)})
    assert response.context["counts"] == {"new": 0, "existing": 3, "error": 0}
    assert Membership.objects.count() == count


def test_an_account_of_another_program_joins_with_its_sign_in(login, admin, outsider, types):
    client = login(admin)
    response = client.post(URL, {"file": upload(f"Otto Outsider,{outsider.email},admin,,,,,")})
    assert [row.outcome for row in response.context["rows"]] == ["new"]
    client.post(URL, {"form_token": response.context["token"]})
    outsider.refresh_from_db()
    assert outsider.is_active and outsider.has_usable_password()
    assert outsider.memberships.count() == 2


def test_errors_are_given_per_row_and_nothing_is_imported(login, admin, types):
    client = login(admin)
    response = client.post(URL, {"file": upload("No Email,,peer,,,,,", "Bad Role,b@new.example,boss,,,,,",
                                                "Odd Type,o@new.example,peer,,Wizard,,,",
                                                "Half Dates,h@new.example,peer,,CPRS,,2024-01-01,",
                                                "Dup One,d@new.example,peer,,,,,", "Dup Two,D@new.example,peer,,,,,",
                                                "No Boss,n@new.example,peer,nobody@new.example,,,,")})
    reasons = {row.line: " ".join(row.reasons or []) for row in response.context["rows"]}
    assert "Email" in reasons[2] and "Role" in reasons[3] and "Credential type" in reasons[4]
    assert "both the issue and the expiry date" in reasons[5] and reasons[6] == ""
    assert "same email as row 6" in reasons[7] and "Supervisor" in reasons[8]
    assert "Import" not in response.content.decode().split("</form>")[0] or response.context["counts"]["error"]
    assert not User.objects.filter(email__endswith="@new.example").exists()


@pytest.mark.parametrize("who", ["peer", "supervisor"])
def test_only_admins_import_staff(login, request, who):
    assert login(request.getfixturevalue(who)).get(URL).status_code == 403


def test_the_staff_dry_run_keeps_its_query_budget(login, admin, supervisor, types, django_assert_max_num_queries):
    lines = [f"Person {n},p{n}@new.example,peer,sam@example.org,CPRS,N{n},2024-01-01,2026-01-01" for n in range(200)]
    client = login(admin)
    with django_assert_max_num_queries(15):
        response = client.post(URL, {"file": upload(*lines)})
    assert response.status_code == 200


def test_the_import_pages_keep_their_query_budget(login, admin, django_assert_max_num_queries):
    client = login(admin)
    for url in (URL, reverse("clients:import"), reverse("peers:import_template", args=["xlsx"])):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_each_new_account_is_invited_and_the_link_sets_its_password(login, admin, supervisor, program, types,
                                                                    mailoutbox, django_capture_on_commit_callbacks):
    """Imported staff get the same one-time invitation as invited staff: the link sets the password and
    opens the account (kept inactive until then); the email names the program, no participant."""
    client = login(admin)
    token = client.post(URL, {"file": upload(*ROWS)}).context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"form_token": token})
    invited = {message.to[0] for message in mailoutbox}
    assert invited == {"sue@new.example", "pete@new.example", "tia@new.example"}
    from recovery.invitations import invitation_accept
    from recovery.models import Invitation

    invitation = Invitation.objects.get(program=program, email="tia@new.example")
    membership = invitation_accept(invitation=invitation, full_name="Tia Trainee", password="a-long-new-passphrase")
    tia = User.objects.get(email="tia@new.example")
    assert tia.is_active and tia.check_password("a-long-new-passphrase")
    assert membership.role == Membership.Role.PEER and membership.supervisor == supervisor
    assert Credential.objects.filter(membership=membership).exists()  # the imported credential stays

"""Who may see and change which staff records (Done-when 3), for every view of the peers app.

Out of scope answers 404; a role that may read but not write answers 403; POST-only views answer 405
to GET; every view needs a login. Nothing crosses programs.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peers.models import ContinuingEducation, Credential, CredentialType, TraineeHours
from recovery.models import Membership
from tests.factories import (
    ContinuingEducationFactory,
    CredentialFactory,
    CredentialTypeFactory,
    MembershipFactory,
    TraineeHoursFactory,
)

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def records(program, peer, program_membership, settings, tmp_path):
    """The peer's staff records: a credential, a CE entry with a certificate, an hours entry; a program type."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    ce = ContinuingEducationFactory(membership=program_membership(peer))
    ce.certificate.save("cert.pdf", SimpleUploadedFile("cert.pdf", PDF))
    return {
        "credential": CredentialFactory(membership=program_membership(peer)),
        "ce": ce,
        "hours": TraineeHoursFactory(membership=program_membership(peer)),
        "type": CredentialTypeFactory(program=program),
    }


def url(name, records, peer):
    by_staff = {"staff_detail", "profile_edit", "credential_add", "ce_add", "hours_add"}
    by_object = {
        "credential_edit": "credential", "credential_end": "credential", "ce_edit": "ce", "ce_delete": "ce",
        "ce_certificate": "ce", "hours_edit": "hours", "hours_delete": "hours", "type_edit": "type",
    }
    if name in by_staff:
        return reverse(f"peers:{name}", args=[peer.uuid])
    if name in by_object:
        return reverse(f"peers:{name}", args=[records[by_object[name]].uuid])
    return reverse(f"peers:{name}")


# view, method, and the status each persona gets on the peer's records:
#   peer (self), other_peer, supervisor (of peer), other_supervisor, admin, outsider (other program's admin)
MATRIX = [
    ("staff_detail", "get", dict(peer=200, other_peer=404, supervisor=200, other_supervisor=404, admin=200,
                                 outsider=404)),
    ("profile_edit", "get", dict(peer=403, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                                 outsider=404)),
    ("credential_add", "get", dict(peer=403, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                                   outsider=404)),
    ("credential_edit", "get", dict(peer=403, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                                    outsider=404)),
    ("credential_end", "post", dict(peer=403, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                                    outsider=404)),
    ("ce_add", "get", dict(peer=200, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                           outsider=404)),
    ("ce_edit", "get", dict(peer=200, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                            outsider=404)),
    ("ce_delete", "post", dict(peer=302, other_peer=404, supervisor=403, other_supervisor=404, admin=302,
                               outsider=404)),
    ("ce_certificate", "get", dict(peer=200, other_peer=404, supervisor=200, other_supervisor=404, admin=200,
                                   outsider=404)),
    ("hours_add", "get", dict(peer=200, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                              outsider=404)),
    ("hours_edit", "get", dict(peer=200, other_peer=404, supervisor=403, other_supervisor=404, admin=200,
                               outsider=404)),
    ("hours_delete", "post", dict(peer=302, other_peer=404, supervisor=403, other_supervisor=404, admin=302,
                                  outsider=404)),
    ("type_list", "get", dict(peer=403, other_peer=403, supervisor=403, other_supervisor=403, admin=200,
                              outsider=200)),
    ("type_add", "get", dict(peer=403, other_peer=403, supervisor=403, other_supervisor=403, admin=200,
                             outsider=200)),
    ("type_edit", "get", dict(peer=403, other_peer=403, supervisor=403, other_supervisor=403, admin=200,
                              outsider=404)),
]
PERSONAS = ["peer", "other_peer", "supervisor", "other_supervisor", "admin", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view, method, expected", MATRIX, ids=[row[0] for row in MATRIX])
def test_each_persona_gets_what_their_role_allows(request, login, records, peer, view, method, expected, persona):
    user = request.getfixturevalue(persona)
    response = getattr(login(user), method)(url(view, records, peer))
    assert response.status_code == expected[persona]


@pytest.mark.parametrize("view, method, expected", MATRIX, ids=[row[0] for row in MATRIX])
def test_every_view_requires_login(client, records, peer, view, method, expected):
    response = getattr(client, method)(url(view, records, peer))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("view", ["credential_end", "ce_delete", "hours_delete"])
def test_post_only_views_reject_get(login, records, admin, peer, view):
    assert login(admin).get(url(view, records, peer)).status_code == 405


def test_other_team_peer_and_their_supervisor_cannot_reach_the_peers_records(login, records, peer,
                                                                             other_team_peer):
    client = login(other_team_peer)
    assert client.get(url("staff_detail", records, peer)).status_code == 404
    assert client.get(url("ce_certificate", records, peer)).status_code == 404


def test_peer_cannot_change_another_peers_ce_or_hours(login, records, peer, other_peer):
    client = login(other_peer)
    ce = records["ce"]
    response = client.post(url("ce_edit", records, peer), {"title": "Changed", "completed_on": ce.completed_on,
                                                          "provider": "x", "hours": "1", "domain": "other"})
    assert response.status_code == 404
    ce.refresh_from_db()
    assert ce.title != "Changed"
    assert client.post(url("ce_add", records, peer), {"title": "New"}).status_code == 404
    assert client.post(url("hours_delete", records, peer)).status_code == 404
    assert TraineeHours.objects.filter(pk=records["hours"].pk).exists()


def test_peer_cannot_edit_or_end_their_own_credentials(login, records, peer):
    credential = records["credential"]
    client = login(peer)
    response = client.post(url("credential_edit", records, peer), {"type": credential.type_id, "number": "HACKED",
                                                                   "issued_on": "", "expires_on": ""})
    assert response.status_code == 403
    assert client.post(url("credential_end", records, peer), {"ended_on": "2020-01-01",
                                                              "reason": "error"}).status_code == 403
    assert client.post(url("credential_add", records, peer), {"type": credential.type_id}).status_code == 403
    credential.refresh_from_db()
    assert credential.number != "HACKED" and credential.ended_on is None
    assert Credential.objects.count() == 1


def test_supervisor_reads_a_supervisees_record_but_cannot_log_for_them(login, records, supervisor, peer):
    client = login(supervisor)
    html = client.get(url("staff_detail", records, peer)).content.decode()
    assert peer.full_name in html
    assert "Log continuing education" not in html and "Add credential" not in html
    assert client.post(url("ce_add", records, peer), {"title": "x"}).status_code == 403
    assert ContinuingEducation.objects.count() == 1


def test_outsider_cannot_edit_a_programs_credential_type(login, records, outsider):
    kind = records["type"]
    response = login(outsider).post(reverse("peers:type_edit", args=[kind.uuid]), {"name": "Hijacked"})
    assert response.status_code == 404
    assert CredentialType.objects.get(pk=kind.pk).name != "Hijacked"


def test_outsiders_type_list_does_not_show_another_programs_types(login, records, outsider):
    html = login(outsider).get(reverse("peers:type_list")).content.decode()
    assert records["type"].name not in html
    assert "Certified Peer Recovery Specialist" in html  # the shared defaults


def test_a_person_in_two_programs_sees_each_programs_record_separately(login, records, peer, other_program,
                                                                       outsider):
    MembershipFactory(user=peer, program=other_program, role=Membership.Role.PEER)
    # The outsider (admin of other_program) now sees the peer's record there, with none of program's data.
    html = login(outsider).get(reverse("peers:staff_detail", args=[peer.uuid])).content.decode()
    assert peer.full_name in html
    assert records["ce"].title not in html
    assert login(outsider).get(url("ce_certificate", records, peer)).status_code == 404

"""Every note, addendum, group and follow-up page, for every role (Done when 6, second half).

``mine`` is carried by ``peer`` (supervised by ``supervisor``). Another peer gets 404 on every URL about
``peer``'s participants, GET or POST; supervisors and admins read but get 403 on writes; POST-only views
refuse GET with 405; nobody sees another program.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from clients.models import FollowUp, GroupSession, NoteAddendum, SessionNote
from tests.factories import FollowUpFactory, SessionNoteFactory

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")


@dataclass
class Notes:
    client: object
    note: SessionNote  # a draft by peer
    signed: SessionNote
    followup: FollowUp
    group: GroupSession


@pytest.fixture
def notes(mine, peer) -> Notes:
    group = GroupSession.objects.create(program=mine.program, facilitator=peer, session_date=mine.created_at.date(),
                                        topic="Coping skills")
    SessionNoteFactory(client=mine, group=group, contact_type="group")
    return Notes(mine, SessionNoteFactory(client=mine), SessionNoteFactory(client=mine, signed=True),
                 FollowUpFactory(client=mine), group)


# (url name, object in the URL, kind): read, write, post (POST-only write)
PAGES = [
    ("note_list", "client", "read"),
    ("note_new", "client", "write"),
    ("followup_new", "client", "write"),
    ("note_detail", "note", "read"),
    ("note_detail", "signed", "read"),
    ("note_edit", "note", "write"),
    ("note_sign", "note", "post"),
    ("note_discard", "note", "post"),
    ("addendum_new", "signed", "write"),
    ("group_detail", "group", "read"),
    ("followup_detail", "followup", "read"),
    ("followup_edit", "followup", "write"),
    ("followup_done", "followup", "post"),
    ("followup_cancel", "followup", "post"),
]
EXPECTED = {
    "peer": {"read": 200, "write": 200, "post": 405},
    "other_peer": {"read": 404, "write": 404, "post": 405},
    "other_team_peer": {"read": 404, "write": 404, "post": 405},
    "supervisor": {"read": 200, "write": 403, "post": 405},
    "other_supervisor": {"read": 404, "write": 404, "post": 405},
    "admin": {"read": 200, "write": 403, "post": 405},
    "outsider": {"read": 404, "write": 404, "post": 405},
}
WRITES = [(name, target) for name, target, kind in PAGES if kind in ("write", "post")]


def url_for(notes: Notes, name: str, target: str) -> str:
    return reverse(f"clients:{name}", args=[getattr(notes, target).uuid])


@pytest.fixture
def everyone(peer, other_peer, other_team_peer, supervisor, other_supervisor, admin, outsider):
    return {"peer": peer, "other_peer": other_peer, "other_team_peer": other_team_peer, "supervisor": supervisor,
            "other_supervisor": other_supervisor, "admin": admin, "outsider": outsider}


@pytest.mark.parametrize(("name", "target", "kind"), PAGES)
def test_every_page_requires_login(client, notes, name, target, kind):
    response = client.get(url_for(notes, name, target))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize(("name", "target", "kind"), PAGES)
def test_each_role_gets_what_its_scope_allows(login, notes, everyone, role, name, target, kind):
    response = login(everyone[role]).get(url_for(notes, name, target))
    assert response.status_code == EXPECTED[role][kind], f"{role} GET {name}"


@pytest.mark.parametrize(("name", "target"), WRITES)
@pytest.mark.parametrize("role", ["other_peer", "other_team_peer", "other_supervisor", "outsider"])
def test_out_of_scope_posts_are_404_and_change_nothing(login, notes, everyone, role, name, target):
    response = login(everyone[role]).post(url_for(notes, name, target), {"reason": "x", "text": "x", "summary": "x"})
    assert response.status_code == 404
    assert_nothing_changed(notes)


@pytest.mark.parametrize(("name", "target"), WRITES)
@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_read_only_roles_cannot_post_changes(login, notes, everyone, role, name, target):
    response = login(everyone[role]).post(url_for(notes, name, target), {"reason": "x", "text": "x", "summary": "x"})
    assert response.status_code == 403
    assert_nothing_changed(notes)


def assert_nothing_changed(notes: Notes) -> None:
    notes.note.refresh_from_db()
    notes.followup.refresh_from_db()
    assert notes.note.status == "draft" and notes.followup.status == "open"
    assert not NoteAddendum.objects.exists()
    assert SessionNote.objects.count() == 3


def test_peer_a_gets_404_on_every_note_addendum_and_follow_up_url_of_peer_bs_participants(login, theirs, other_peer,
                                                                                          peer):
    """``theirs`` is carried by ``other_peer``: ``peer`` (same team, same program) may not even learn it exists."""
    group = GroupSession.objects.create(program=theirs.program, facilitator=other_peer,
                                        session_date=theirs.created_at.date(), topic="Theirs")
    SessionNoteFactory(client=theirs, group=group, contact_type="group")
    theirs_notes = Notes(theirs, SessionNoteFactory(client=theirs), SessionNoteFactory(client=theirs, signed=True),
                         FollowUpFactory(client=theirs), group)
    http = login(peer)
    for name, target, kind in PAGES:
        url = url_for(theirs_notes, name, target)
        if kind != "post":
            assert http.get(url).status_code == 404, f"GET {name}"
        # A read-only page refuses POST whoever asks (405, decided by the method alone: it tells nothing).
        refused = 405 if kind == "read" else 404
        assert http.post(url, {"text": "x", "reason": "x", "summary": "x"}).status_code == refused, f"POST {name}"
    assert http.get(reverse("clients:note_parts"), {"participant": str(theirs.uuid)}).status_code == 404
    assert login(other_peer).get(url_for(theirs_notes, "note_detail", "note")).status_code == 200


def test_a_supervisor_who_is_not_the_author_cannot_sign_their_supervisees_note(login, notes, supervisor):
    assert login(supervisor).post(url_for(notes, "note_sign", "note")).status_code == 403


def test_pages_without_a_participant_in_the_url_are_for_peers_and_supervisors(login, everyone):
    for name in ("note_log", "group_new", "note_parts"):
        for role in ("peer", "supervisor"):
            assert login(everyone[role]).get(reverse(f"clients:{name}")).status_code == 200, (name, role)
        for role in ("admin", "outsider"):
            assert login(everyone[role]).get(reverse(f"clients:{name}")).status_code == 403, (name, role)


def test_the_follow_up_list_shows_only_what_the_user_may_see(login, notes, theirs, peer, other_peer, admin, outsider):
    FollowUpFactory(client=theirs, purpose="Theirs to do")
    assert [f.purpose for f in login(peer).get(reverse("clients:followup_list")).context["page"]] == [
        notes.followup.purpose]
    assert len(login(admin).get(reverse("clients:followup_list")).context["page"].object_list) == 2
    assert not login(outsider).get(reverse("clients:followup_list")).context["page"].object_list


def test_a_group_shows_each_person_only_the_participants_they_may_see(login, mine, theirs, peer, other_peer):
    group = GroupSession.objects.create(program=mine.program, facilitator=peer, session_date=mine.created_at.date(),
                                        topic="Shared")
    SessionNoteFactory(client=mine, group=group, contact_type="group")
    SessionNoteFactory(client=theirs, group=group, contact_type="group", author=peer)
    html = login(other_peer).get(reverse("clients:group_detail", args=[group.uuid])).content.decode()
    assert theirs.full_name in html and mine.full_name not in html

"""Every page of the clients app, for every role (Done when 3).

``mine`` is carried by ``peer`` (supervised by ``supervisor``). Out of scope answers 404, a role that
may read but not write answers 403, POST-only pages refuse GET with 405, and nobody sees another program.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")

# (url name, which object of the world is in the URL, kind)
#   read: anyone who can see the participant; write: only the peer who carries them;
#   assign: supervisors and admins; post: a write that only accepts POST.
PAGES = [
    ("detail", "client", "read"),
    ("edit", "client", "write"),
    ("assign", "client", "assign"),
    ("discharge", "client", "write"),
    ("reenrol", "client", "write"),
    ("plan_new", "client", "write"),
    ("consent_new", "client", "write"),
    ("plan_detail", "plan", "read"),
    ("plan_edit", "plan", "write"),
    ("plan_revise", "plan", "post"),
    ("goal_new", "plan", "write"),
    ("goal_edit", "goal", "write"),
    ("step_new", "goal", "write"),
    ("progress_new", "goal", "write"),
    ("step_edit", "step", "write"),
    ("step_done", "step", "post"),
    ("consent_detail", "consent", "read"),
    ("consent_revoke", "consent", "write"),
    ("consent_scan", "consent", "read"),
    ("consent_scan_upload", "consent", "write"),
]
ROLES = ["peer", "other_peer", "other_team_peer", "supervisor", "other_supervisor", "admin", "outsider"]

# What each persona gets for each kind of page about ``mine`` (GET; a POST-only page refuses GET first,
# whoever asks: its scope is tested with POST below).
EXPECTED = {
    "peer": {"read": 200, "write": 200, "assign": 403, "post": 405},
    "other_peer": {"read": 404, "write": 404, "assign": 404, "post": 405},
    "other_team_peer": {"read": 404, "write": 404, "assign": 404, "post": 405},
    "supervisor": {"read": 200, "write": 403, "assign": 200, "post": 405},
    "other_supervisor": {"read": 404, "write": 404, "assign": 404, "post": 405},
    "admin": {"read": 200, "write": 403, "assign": 200, "post": 405},
    "outsider": {"read": 404, "write": 404, "assign": 404, "post": 405},
}
# Pages that send their rightful user elsewhere when there is nothing to do (the participant is
# enrolled already; the consent has its scan already).
REDIRECTS_WHEN_DONE = {"reenrol", "consent_scan_upload"}


def url_for(world, name: str, target: str) -> str:
    return reverse(f"clients:{name}", args=[getattr(world, target).uuid])


@pytest.fixture
def everyone(peer, other_peer, other_team_peer, supervisor, other_supervisor, admin, outsider):
    return {"peer": peer, "other_peer": other_peer, "other_team_peer": other_team_peer, "supervisor": supervisor,
            "other_supervisor": other_supervisor, "admin": admin, "outsider": outsider}


@pytest.mark.parametrize(("name", "target", "kind"), PAGES)
def test_every_page_requires_login(client, world, name, target, kind):
    response = client.get(url_for(world, name, target))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "target", "kind"), PAGES)
def test_each_role_gets_what_its_scope_allows(login, world, everyone, role, name, target, kind):
    response = login(everyone[role]).get(url_for(world, name, target))
    expected = EXPECTED[role][kind]
    if expected == 200 and name in REDIRECTS_WHEN_DONE:
        expected = 302
    assert response.status_code == expected, f"{role} GET {name}"


@pytest.mark.parametrize(("name", "target"), [(n, t) for n, t, k in PAGES if k in ("write", "post")])
@pytest.mark.parametrize("role", ["other_peer", "other_team_peer", "other_supervisor", "outsider"])
def test_out_of_scope_posts_are_404_and_change_nothing(login, world, everyone, role, name, target):
    response = login(everyone[role]).post(url_for(world, name, target), {"done": "1", "reason": "x"})
    assert response.status_code == 404
    world.step.refresh_from_db()
    assert world.step.done_on is None


@pytest.mark.parametrize(("name", "target"), [(n, t) for n, t, k in PAGES if k in ("write", "post")])
@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_read_only_roles_cannot_post_changes(login, world, everyone, role, name, target):
    response = login(everyone[role]).post(url_for(world, name, target), {"done": "1"})
    assert response.status_code == 403


def test_peer_cannot_reassign(login, world, peer, other_peer):
    response = login(peer).post(reverse("clients:assign", args=[world.client.uuid]),
                                {"peer": other_peer.pk, "reason": "Taking a break"})
    assert response.status_code == 403
    world.client.refresh_from_db()
    assert world.client.primary_peer == peer


def test_caseload_and_intake_require_login(client, db):
    for name in ("caseload", "intake"):
        response = client.get(reverse(f"clients:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("role", "status"), [("peer", 200), ("supervisor", 200), ("admin", 403), ("outsider", 403)])
def test_who_may_enrol(login, everyone, role, status):
    assert login(everyone[role]).get(reverse("clients:intake")).status_code == status


def test_outsider_caseload_shows_nothing_of_the_program(login, world, outsider, foreign):
    html = login(outsider).get(reverse("clients:caseload")).content.decode()
    assert world.client.full_name not in html
    assert foreign.full_name in html


@pytest.mark.parametrize("name", ["caseload", "intake", "note_log", "note_parts", "group_new", "followup_list",
                                  "emergency"])
def test_a_user_without_a_program_gets_the_no_program_page(login, db, name):
    """Every page that works inside a program gives one answer (recovery.middleware.membership_for)."""
    from tests.factories import UserFactory

    response = login(UserFactory()).get(reverse(f"clients:{name}"))
    assert response.status_code == 403
    assert "not part of a program" in response.content.decode()


def test_peer_gets_404_for_every_page_of_another_peers_participant_in_another_program(login, foreign, peer):
    response = login(peer).get(reverse("clients:detail", args=[foreign.uuid]))
    assert response.status_code == 404

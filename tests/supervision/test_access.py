"""Every page of the supervision app, for every persona (Done when 4, and the quality bar).

Login is required everywhere; out of scope answers 404; a role that may read but not write answers 403;
POST-only pages refuse GET with 405; a peer cannot open the dashboard (403); a supervisor never sees
another supervisor's team (404).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from supervision.models import ActionItem
from tests.factories import SupervisionSessionFactory, action_item, sign

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")

ROLES = ["peer", "other_peer", "other_team_peer", "supervisor", "other_supervisor", "admin", "outsider"]


@pytest.fixture
def everyone(peer, other_peer, other_team_peer, supervisor, other_supervisor, admin, outsider):
    return {"peer": peer, "other_peer": other_peer, "other_team_peer": other_team_peer, "supervisor": supervisor,
            "other_supervisor": other_supervisor, "admin": admin, "outsider": outsider}


@pytest.fixture
def world(supervisor, peer, other_peer, mine, theirs):
    """A draft (individual, with ``peer``) and a signed group session (``peer`` and ``other_peer``)."""
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], participants=[mine])
    draft_item = action_item(draft, peer)
    group = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer],
                                      participants=[mine, theirs])
    item = action_item(group, peer, description="Call the trainer")
    sign(group)
    return {"draft": draft, "signed": group, "item": item, "draft_item": draft_item, "peer": peer}


def url(world, name: str) -> str:
    kind, _, target = name.partition(":")
    if target in ("draft", "signed"):
        return reverse(f"supervision:{kind}", args=[world[target].uuid])
    if target in ("item", "draft_item"):
        return reverse(f"supervision:{kind}", args=[world[target].uuid])
    if target == "peer":
        return reverse(f"supervision:{kind}", args=[world["peer"].uuid])
    if kind == "metric":
        return reverse("supervision:metric", args=[world["peer"].uuid, "active"])
    return reverse(f"supervision:{kind}")


# page → expected GET status for each role, in ROLES order.
GET_PAGES = {
    "dashboard": [403, 403, 403, 200, 200, 200, 200],
    "log": [200, 200, 200, 200, 200, 200, 200],
    "session_list": [403, 403, 403, 200, 200, 200, 200],
    "session_new": [403, 403, 403, 200, 200, 200, 200],
    "supervisee:peer": [403, 403, 403, 200, 404, 200, 404],
    "metric": [403, 403, 403, 200, 404, 200, 404],
    "session_detail:signed": [200, 200, 404, 200, 404, 200, 404],
    "session_detail:draft": [404, 404, 404, 200, 404, 404, 404],
    "session_edit:draft": [404, 404, 404, 200, 404, 404, 404],
    "session_edit:signed": [403, 403, 404, 403, 404, 403, 404],
    "addendum_new:signed": [403, 403, 404, 200, 404, 403, 404],
    "addendum_new:draft": [404, 404, 404, 403, 404, 404, 404],
    "action_item_new:draft": [404, 404, 404, 200, 404, 404, 404],
    "action_item_new:signed": [403, 403, 404, 403, 404, 403, 404],
}
POST_ONLY = ["session_sign:draft", "session_delete:draft", "session_acknowledge:signed", "action_item_done:item",
             "action_item_delete:draft_item"]


@pytest.mark.parametrize("name", [*GET_PAGES, *POST_ONLY])
def test_every_page_requires_login(client, world, name):
    response = client.get(url(world, name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", GET_PAGES)
def test_each_role_gets_what_its_scope_allows(login, world, everyone, role, name):
    response = login(everyone[role]).get(url(world, name))
    assert response.status_code == GET_PAGES[name][ROLES.index(role)], f"{role} GET {name}"


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_pages_refuse_get(login, world, supervisor, name):
    assert login(supervisor).get(url(world, name)).status_code == 405


# POST pages: what each role gets (the rightful user is redirected).
POSTS = {
    "session_sign:draft": [404, 404, 404, 302, 404, 404, 404],
    "session_sign:signed": [403, 403, 404, 302, 404, 403, 404],
    "session_delete:draft": [404, 404, 404, 302, 404, 404, 404],
    "session_delete:signed": [403, 403, 404, 403, 404, 403, 404],
    "session_acknowledge:signed": [302, 302, 404, 403, 404, 403, 404],
    "action_item_done:item": [302, 403, 404, 302, 404, 403, 404],
    "action_item_delete:item": [403, 403, 404, 403, 404, 403, 404],
    "action_item_delete:draft_item": [404, 404, 404, 302, 404, 404, 404],
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POSTS)
def test_posts_answer_by_scope_and_role(login, world, everyone, role, name):
    response = login(everyone[role]).post(url(world, name), {"done": "1"})
    assert response.status_code == POSTS[name][ROLES.index(role)], f"{role} POST {name}"


def test_nobody_but_the_assignee_or_the_supervisor_marks_an_action_item(login, world, other_peer, admin):
    item = world["item"]
    for user in (other_peer, admin):
        login(user).post(reverse("supervision:action_item_done", args=[item.uuid]), {"done": "1"})
    assert ActionItem.objects.get(pk=item.pk).done_at is None


def test_a_supervisor_never_sees_another_supervisors_team(login, world, other_supervisor, other_team_peer):
    client = login(other_supervisor)
    page = client.get(reverse("supervision:dashboard")).content.decode()
    assert "Pat Peer" not in page and "Olive Otherpeer" not in page
    assert "Tess Otherteam" in page
    assert client.get(reverse("supervision:supervisee", args=[world["peer"].uuid])).status_code == 404
    assert client.get(reverse("supervision:session_detail", args=[world["signed"].uuid])).status_code == 404
    assert client.get(reverse("supervision:session_list")).context["page"].paginator.count == 0


def test_a_peer_cannot_open_the_dashboard_but_has_their_own_log(login, peer):
    client = login(peer)
    assert client.get(reverse("supervision:dashboard")).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("supervision:log")}">Supervision</a>' in home


def test_the_navigation_takes_supervisors_and_admins_to_the_dashboard(login, supervisor, admin):
    for user in (supervisor, admin):
        home = login(user).get(reverse("home")).content.decode()
        assert f'href="{reverse("supervision:dashboard")}">Supervision</a>' in home


def test_pages_of_another_program_answer_404_even_to_its_own_admin(login, world, outsider, other_program):
    client = login(outsider)
    for name in ["session_detail:signed", "supervisee:peer", "action_item_done:item"]:
        response = client.post(url(world, name)) if name.startswith("action") else client.get(url(world, name))
        assert response.status_code == 404, name

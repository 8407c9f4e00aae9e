"""The key that seals text kept across the idle time-out (static/js/session-timeout.js): each signed-in page
carries the key of its user in their current program, and no other; signed-out pages carry none."""

from __future__ import annotations

from django.urls import reverse

from recovery.models import Membership
from recovery.sessions import draft_keys
from tests.factories import make_staff

HOME = reverse("home")


def test_a_signed_in_page_carries_its_users_draft_key_for_the_current_program(client, login, peer, program):
    keys = draft_keys(peer, program.pk)
    page = login(peer).get(HOME).content.decode()
    assert f'data-draft-owner="{keys["draft_owner"]}"' in page
    assert f'data-draft-key="{keys["draft_key"]}"' in page
    assert f'data-logout-url="{reverse("logout")}"' in page


def test_another_users_page_never_carries_the_first_users_key(client, login, peer, other_peer, outsider,
                                                              program, other_program):
    keys = draft_keys(peer, program.pk)
    for user in (other_peer, outsider):
        client.logout()
        page = login(user).get(HOME).content.decode()
        assert keys["draft_key"] not in page and keys["draft_owner"] not in page
        assert "data-draft-key=" in page


def test_the_login_page_carries_no_draft_key(client):
    page = client.get(reverse("login")).content.decode()
    assert "data-draft-key" not in page and "data-draft-owner" not in page
    assert "data-signed-out" in page


def test_switching_program_switches_the_draft_key(client, login, peer, program, other_program):
    Membership.objects.create(user=peer, program=other_program, role=Membership.Role.PEER)
    login(peer)
    client.post(reverse("switch_program"), {"program": other_program.pk})
    page = client.get(HOME).content.decode()
    assert draft_keys(peer, other_program.pk)["draft_key"] in page
    assert draft_keys(peer, program.pk)["draft_key"] not in page


def test_draft_keys_are_stable_per_user_and_program_and_opaque(program, other_program, peer):
    here, there = draft_keys(peer, program.pk), draft_keys(peer, other_program.pk)
    other = draft_keys(make_staff(program, Membership.Role.PEER, email="olive@example.org"), program.pk)
    assert len({here["draft_key"], there["draft_key"], other["draft_key"]}) == 3
    assert len({here["draft_owner"], there["draft_owner"], other["draft_owner"]}) == 3
    assert here == draft_keys(peer, program.pk)  # the same at every login: the text comes back
    assert here["draft_owner"] not in here["draft_key"] and peer.email not in str(here)

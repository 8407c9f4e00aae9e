"""The key that seals drafts written without signal (recovery/offline.py, static/js/offline.js): given only
to a signed-in user, for one session (a new login, a new key), never cached; kept across the time-out for
the same user only; and log-out asks the browser to empty its cache (the script deletes the rest:
tests/browser/test_offline_journey.py)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from recovery.models import Membership
from tests.factories import PASSWORD, make_staff

KEY = reverse("offline_key")
LOGIN = reverse("login")


def key_of(client) -> dict:
    response = client.get(KEY)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_draft_key_is_given_only_to_a_signed_in_user(client):
    response = client.get(KEY)
    assert response.status_code == 302
    assert response.url.startswith(f"{LOGIN}?next=")
    assert "key" not in response.content.decode()


def test_the_draft_key_stays_the_same_through_a_session_and_comes_with_a_csrf_token(client, login, peer):
    login(peer)
    first = key_of(client)
    assert first == {**key_of(client), "csrf": first["csrf"]}
    assert len(first["key"]) == 43 and len(first["owner"]) == 32  # 256 bits, base64url; an opaque tag
    assert first["csrf"] and first["login"] == LOGIN
    home = client.get(reverse("home")).content.decode()
    assert f'data-offline-owner="{first["owner"]}"' in home
    assert first["key"] not in home  # pages (which the service worker keeps) never carry the key


def test_each_login_gets_a_new_key(client, login, peer):
    login(peer)
    before = key_of(client)
    client.post(reverse("logout"))
    login(peer)
    after = key_of(client)
    assert before["key"] != after["key"] and before["owner"] != after["owner"]


def test_two_users_never_get_the_same_key(client, login, peer, other_peer):
    login(peer)
    first = key_of(client)
    client.logout()
    login(other_peer)
    assert key_of(client)["key"] != first["key"]


def test_after_the_time_out_only_the_same_user_gets_the_key_back(client, login, peer, program, supervisor):
    olive = make_staff(program, Membership.Role.PEER, supervisor=supervisor, email="olive@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(peer)
        kept = key_of(client)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert client.get(KEY).status_code == 302  # timed out: to the login page
        client.post(LOGIN, {"username": peer.email, "password": PASSWORD})
        again = key_of(client)
        assert (again["owner"], again["key"]) == (kept["owner"], kept["key"])  # what they wrote opens again
    with time_machine.travel(start + timedelta(minutes=32), tick=False):
        assert client.get(KEY).status_code == 302
        client.post(LOGIN, {"username": olive.email, "password": PASSWORD})
        assert key_of(client)["key"] != kept["key"]  # someone else on the device: not theirs to open


def test_log_out_asks_the_browser_to_delete_the_sites_caches_and_storage(client, login, peer):
    login(peer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'  # the rest: static/js/offline.js (the browser test)
    assert client.get(KEY).status_code == 302  # and the key is gone with the session

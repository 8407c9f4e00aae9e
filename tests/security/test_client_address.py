"""The client's address: from the socket, or from a configured number of trusted proxies; a header the
client writes is never believed, and a malformed one is ignored (never a 500). recovery/audit.py client_ip()
is the one function behind the access log, security events and the login lockout."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from recovery.audit import client_ip
from recovery.models import AccessLog, SecurityEvent
from tests.factories import PASSWORD, ClientFactory

MALFORMED = ["unknown", "203.0.113.9:4711", "[2001:db8::1]:443", "2001:db8::1]", "not an address", "", " , ",
             "fe80::1%eth0", "999.1.1.1", "203.0.113.9 203.0.113.10", "<script>", "1.2.3.4\x00"]


def request_from(remote: str | None, forwarded: str | None = None):
    meta = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return request


@pytest.mark.parametrize("forwarded", ["6.6.6.6", "6.6.6.6, 7.7.7.7", "unknown", "[::1]:80"])
def test_without_trusted_proxies_the_socket_address_is_the_client(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.4", forwarded)) == "198.51.100.4"


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (1, "198.51.100.4", "198.51.100.4"),
    (1, "6.6.6.6, 198.51.100.4", "198.51.100.4"),  # the left-most entry was written by the client
    (2, "6.6.6.6, 198.51.100.4, 10.0.0.3", "198.51.100.4"),
    (1, "2001:DB8:0:0::7", "2001:db8::7"),  # stored in canonical form
    (2, "198.51.100.4", "10.0.0.2"),  # shorter than the proxy chain: did not come through it
    (1, None, "10.0.0.2"),
])
def test_behind_trusted_proxies_the_client_is_the_entry_the_first_proxy_appended(settings, proxies, forwarded,
                                                                                  expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from("10.0.0.2", forwarded)) == expected


@pytest.mark.parametrize("forwarded", MALFORMED)
def test_a_malformed_forwarded_address_falls_back_to_the_socket(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.0.0.2", forwarded)) == "10.0.0.2"


@pytest.mark.parametrize("remote", [None, "", "unknown", "10.0.0.2:5000"])
def test_a_malformed_socket_address_gives_no_address(settings, remote):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(remote)) is None


def test_axes_asks_the_same_function(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.2", "6.6.6.6, 198.51.100.4")
    assert get_client_ip_address(request) == client_ip(request) == "198.51.100.4"


@pytest.fixture
def participant(program, peer):
    return ClientFactory(program=program, primary_peer=peer)


def test_a_forged_forwarded_header_is_not_logged_as_the_readers_address(login, peer, participant, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = login(peer)
    response = client.get(reverse("clients:detail", args=[participant.uuid]), REMOTE_ADDR="198.51.100.4",
                          HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert response.status_code == 200
    assert AccessLog.objects.get(client_uuid=participant.uuid).ip == "198.51.100.4"


@pytest.mark.parametrize("proxies", [0, 1])
@pytest.mark.parametrize("forwarded", MALFORMED)
def test_a_malformed_forwarded_header_on_a_logged_participant_page_is_ignored(
    login, peer, participant, settings, proxies, forwarded
):
    settings.TRUSTED_PROXY_COUNT = proxies
    client = login(peer)
    response = client.get(reverse("clients:detail", args=[participant.uuid]), REMOTE_ADDR="10.0.0.2",
                          HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 200
    assert AccessLog.objects.get(client_uuid=participant.uuid).ip == "10.0.0.2"


@pytest.mark.parametrize("proxies", [0, 1])
@pytest.mark.parametrize("forwarded", MALFORMED)
def test_a_malformed_forwarded_header_on_login_is_ignored(client, peer, settings, proxies, forwarded):
    settings.TRUSTED_PROXY_COUNT = proxies
    failed = client.post(reverse("login"), {"username": peer.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.2",
                         HTTP_X_FORWARDED_FOR=forwarded)
    assert failed.status_code == 200
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED).ip == "10.0.0.2"
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"
    ok = client.post(reverse("login"), {"username": peer.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2",
                     HTTP_X_FORWARDED_FOR=forwarded)
    assert ok.status_code == 302


def test_login_failures_are_recorded_at_the_address_the_trusted_proxy_saw(client, peer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(reverse("login"), {"username": peer.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED).ip == "198.51.100.4"
    assert AccessAttempt.objects.get().ip_address == "198.51.100.4"

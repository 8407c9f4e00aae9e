"""Password-reset requests are throttled per email and per address, each is a security event, and the
answer is the same whether the email has an account, was throttled or not."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from recovery.models import SecurityEvent
from recovery.signin import RESET_ACCOUNT_LIMIT_REASON, RESET_ADDRESS_LIMIT_REASON

RESET = reverse("password_reset")
SENT = reverse("password_reset_done")


def request_reset(client, email: str, address: str = "198.51.100.4"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_a_fourth_request_within_the_hour_for_one_account_sends_nothing_from_any_address(client, settings, peer):
    limit = settings.PASSWORD_RESET_ACCOUNT_LIMIT
    responses = [request_reset(client, email, f"198.51.100.{n + 1}")
                 for n, email in enumerate(["pat@example.org", "PAT@Example.org", " pat@EXAMPLE.org ", peer.email])]
    assert len(mail.outbox) == limit == 3
    assert {(r.status_code, r.url) for r in responses} == {(302, SENT)}  # the same answer every time
    throttled = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_RESET_THROTTLED)
    assert throttled.user == peer and throttled.ip == "198.51.100.4"
    assert throttled.reason == RESET_ACCOUNT_LIMIT_REASON.format(limit=limit)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, user=peer).count() == 3


def test_requests_are_allowed_again_an_hour_later(client, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            request_reset(client, peer.email)
    assert len(mail.outbox) == 3
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        request_reset(client, peer.email)
    assert len(mail.outbox) == 4


def test_an_unknown_email_is_answered_and_throttled_exactly_like_a_known_one(client, peer):
    known = [request_reset(client, peer.email) for _ in range(4)]
    unknown = [request_reset(client, "ghost@example.org") for _ in range(4)]
    for a, b in zip(known, unknown, strict=True):
        assert (a.status_code, a.url) == (b.status_code, b.url)
    page = client.get(SENT)
    assert "If the address you entered belongs to an account" in page.content.decode()
    ghost = SecurityEvent.objects.filter(email="ghost@example.org").order_by("id")
    assert [e.kind for e in ghost] == [SecurityEvent.Kind.PASSWORD_RESET_REQUESTED] * 3 + [
        SecurityEvent.Kind.PASSWORD_RESET_THROTTLED]
    assert all(e.user is None for e in ghost)


def test_one_address_asking_for_many_accounts_is_throttled_but_others_are_not(client, settings, peer):
    limit = settings.PASSWORD_RESET_ADDRESS_LIMIT
    for n in range(limit):
        request_reset(client, f"someone{n}@example.org", "203.0.113.66")
    response = request_reset(client, peer.email, "203.0.113.66")
    assert (response.status_code, response.url) == (302, SENT)
    assert mail.outbox == []
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_RESET_THROTTLED)
    assert event.user == peer and event.reason == RESET_ADDRESS_LIMIT_REASON.format(limit=limit)
    # The person themselves, from their own address, still gets their link.
    request_reset(client, peer.email, "198.51.100.20")
    assert [m.to for m in mail.outbox] == [[peer.email]]


def test_a_forged_forwarded_header_does_not_escape_the_address_limit(client, settings, peer):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.PASSWORD_RESET_ADDRESS_LIMIT):
        client.post(RESET, {"email": f"someone{n}@example.org"}, REMOTE_ADDR="203.0.113.66",
                    HTTP_X_FORWARDED_FOR=f"10.1.{n}.1")
    client.post(RESET, {"email": peer.email}, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.99.0.1")
    assert mail.outbox == []


def test_an_invalid_email_is_refused_at_the_field_and_records_nothing(client, db):
    response = request_reset(client, "not an email")
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'value="not an email"' in response.content.decode()
    assert not SecurityEvent.objects.exists()

"""Login lockout: per account from any mix of addresses, per address only for someone trying many accounts,
and never a bystander locked out by other people's failures (recovery/signin.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recovery.models import Membership
from tests.factories import PASSWORD, make_staff

LOGIN = reverse("login")
LOCKED = 429


def attempt(client, email: str, password: str, address: str, **headers):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_for_one_account_from_five_addresses_lock_that_account(client, peer):
    for n in range(4):
        assert attempt(client, peer.email, "wrong", f"198.51.100.{n + 1}").status_code == 200
    assert attempt(client, peer.email, "wrong", "198.51.100.5").status_code == LOCKED
    # Even the right password, from an address never seen before, is refused while the lock holds.
    assert attempt(client, peer.email, PASSWORD, "203.0.113.99").status_code == LOCKED
    assert not signed_in(client)


def test_the_account_is_the_same_whatever_the_case_or_spaces_of_the_typed_email(client, peer):
    spellings = ["Pat@Example.org", "pat@example.org", " PAT@EXAMPLE.ORG", "pAt@eXample.ORG", "pat@example.org "]
    responses = [attempt(client, email, "wrong", f"198.51.100.{n + 1}") for n, email in enumerate(spellings)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, LOCKED]
    assert attempt(client, "PAT@example.org", PASSWORD, "203.0.113.50").status_code == LOCKED


def test_an_unknown_email_is_locked_the_same_way_whatever_its_case(client, db):
    for n, email in enumerate(["Ghost@Example.org", "ghost@example.org", "GHOST@example.org", "ghost@EXAMPLE.org"]):
        assert attempt(client, email, "wrong", f"198.51.100.{n + 1}").status_code == 200
    locked = attempt(client, "ghost@example.org", "wrong", "198.51.100.9")
    assert locked.status_code == LOCKED
    assert "Too many failed attempts" in locked.content.decode()


def test_other_peoples_failures_from_the_same_address_never_lock_out_a_bystanders_first_typo(
    client, program, peer
):
    """Behind one office address: three colleagues lock their own accounts (and keep retrying), someone
    mistypes an email; the bystander's typo is only their first failure and they get in."""
    office = "192.0.2.10"
    colleagues = [make_staff(program, Membership.Role.PEER, email=f"colleague{n}@example.org") for n in range(3)]
    for colleague in colleagues:
        for _ in range(8):
            attempt(client, colleague.email, "wrong", office)
    for _ in range(5):
        attempt(client, "typo@exmaple.org", "wrong", office)

    typo = attempt(client, peer.email, "wrong", office)
    assert typo.status_code == 200
    assert "do not match an active account" in typo.content.decode()
    assert attempt(client, peer.email, PASSWORD, office).status_code == 302
    assert signed_in(client)


def test_an_address_trying_many_accounts_is_blocked_but_those_accounts_still_work_elsewhere(
    client, settings, program, peer
):
    sprayer = "203.0.113.66"
    limit = settings.LOGIN_ADDRESS_ACCOUNT_LIMIT
    for n in range(limit - 1):
        assert attempt(client, f"victim{n}@example.org", "Winter2026!", sprayer).status_code == 200
    assert attempt(client, f"victim{limit}@example.org", "Winter2026!", sprayer).status_code == LOCKED
    # The next account tried from that address is refused, even with its right password...
    assert attempt(client, peer.email, PASSWORD, sprayer).status_code == LOCKED
    assert not signed_in(client)
    # ...while its owner, elsewhere, signs in as usual: the address is blocked, not the account.
    assert attempt(client, peer.email, PASSWORD, "198.51.100.20").status_code == 302


def test_rotating_a_forged_forwarded_header_does_not_escape_the_address_limit(client, settings, db):
    settings.TRUSTED_PROXY_COUNT = 0
    limit = settings.LOGIN_ADDRESS_ACCOUNT_LIMIT
    statuses = [
        attempt(client, f"victim{n}@example.org", "wrong", "203.0.113.66",
                HTTP_X_FORWARDED_FOR=f"10.9.{n}.1").status_code
        for n in range(limit)
    ]
    assert statuses[-1] == LOCKED and set(statuses[:-1]) == {200}


def test_behind_a_trusted_proxy_each_client_is_counted_at_its_own_address(client, settings, peer):
    """Every request comes from the proxy's socket; the proxy appends the real client to X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    limit = settings.LOGIN_ADDRESS_ACCOUNT_LIMIT
    for n in range(limit):
        # The sprayer also forges a left-most entry: only the proxy's own (right-most) entry counts.
        attempt(client, f"victim{n}@example.org", "wrong", proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.66")
    blocked = attempt(client, peer.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert blocked.status_code == LOCKED
    # Another person behind the same proxy is not affected.
    ok = attempt(client, peer.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert ok.status_code == 302


def test_the_account_lock_ends_after_the_cool_off(client, settings, peer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(5):
            attempt(client, peer.email, "wrong", f"198.51.100.{n + 1}")
        assert attempt(client, peer.email, PASSWORD, "198.51.100.1").status_code == LOCKED
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(minutes=1), tick=False):
        assert attempt(client, peer.email, PASSWORD, "198.51.100.1").status_code == 302


@pytest.mark.parametrize("failures_before", [0, 4])
def test_after_a_success_one_new_typo_does_not_lock_the_account(client, peer, failures_before):
    for n in range(failures_before):
        attempt(client, peer.email, "wrong", f"198.51.100.{n + 1}")
    assert attempt(client, peer.email, PASSWORD, "198.51.100.30").status_code == 302
    client.post(reverse("logout"))
    # After a success the count starts again: one new typo does not lock.
    assert attempt(client, peer.email, "wrong", "198.51.100.31").status_code == 200

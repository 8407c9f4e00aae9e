"""Every failed sign-in, lockout, wrong two-factor code and password-reset request is an append-only
security event, shown on the audit report's sign-in tab of every program of the person it concerns."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recovery.models import Membership, SecurityEvent, User
from recovery.signin import LOCKED_ACCOUNT_REASON, LOCKED_ADDRESS_REASON, REFUSED_WHILE_LOCKED_REASON
from recovery.twofactor import THROTTLED_CODE_REASON, WRONG_APP_CODE_REASON, WRONG_BACKUP_CODE_REASON
from tests.factories import PASSWORD, MembershipFactory, enrol_device, make_staff, totp_code

LOGIN = reverse("login")
VERIFY = reverse("twofactor:verify")
REPORT = reverse("audit:report")
EXPORT = reverse("audit:export")
TYPED_PASSWORD = "Correct-Horse-Typo-77"


def attempt(client, email: str, password: str = TYPED_PASSWORD, address: str = "198.51.100.4"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def events(kind: str):
    return SecurityEvent.objects.filter(kind=kind).order_by("id")


def stored_text() -> str:
    """Every column of every security event, as text: what the database keeps."""
    return " ".join(str(value) for row in SecurityEvent.objects.values_list() for value in row)


def test_a_failed_login_is_recorded_with_the_account_and_address_but_never_the_password(client, peer):
    attempt(client, "PAT@Example.org", address="203.0.113.5")
    event = events(SecurityEvent.Kind.LOGIN_FAILED).get()
    assert (event.user, event.actor, event.email, event.ip) == (peer, None, "pat@example.org", "203.0.113.5")
    assert TYPED_PASSWORD not in stored_text()


def test_a_failed_login_for_an_unknown_email_keeps_the_email_normalised_and_no_account(client, db):
    attempt(client, "  Ghost@Example.ORG ")
    event = events(SecurityEvent.Kind.LOGIN_FAILED).get()
    assert event.user is None and event.email == "ghost@example.org"
    assert TYPED_PASSWORD not in stored_text()


def test_the_lockout_is_one_event_and_attempts_while_locked_are_recorded_as_refused(client, peer):
    for n in range(5):
        attempt(client, peer.email, address=f"198.51.100.{n + 1}")
    attempt(client, peer.email, PASSWORD, address="198.51.100.9")
    failed = list(events(SecurityEvent.Kind.LOGIN_FAILED))
    assert len(failed) == 6
    assert [e.reason for e in failed] == [""] * 5 + [REFUSED_WHILE_LOCKED_REASON]
    lockout = events(SecurityEvent.Kind.LOCKED_OUT).get()
    assert lockout.user == peer and lockout.ip == "198.51.100.5"
    assert lockout.reason == LOCKED_ACCOUNT_REASON.format(count=5)
    assert PASSWORD not in stored_text() and TYPED_PASSWORD not in stored_text()


def test_an_address_block_is_recorded_as_such(client, settings, db):
    for n in range(settings.LOGIN_ADDRESS_ACCOUNT_LIMIT):
        attempt(client, f"victim{n}@example.org", address="203.0.113.66")
    lockout = events(SecurityEvent.Kind.LOCKED_OUT).get()
    assert lockout.ip == "203.0.113.66"
    assert lockout.reason == LOCKED_ADDRESS_REASON.format(count=settings.LOGIN_ADDRESS_ACCOUNT_LIMIT)


def test_failures_stay_recorded_after_the_next_successful_login(client, peer):
    attempt(client, peer.email)
    attempt(client, peer.email)
    assert attempt(client, peer.email, PASSWORD).status_code == 302
    assert events(SecurityEvent.Kind.LOGIN_FAILED).filter(user=peer).count() == 2


def test_wrong_authenticator_and_backup_codes_are_recorded_without_the_code(client, supervisor, password_login):
    device, codes = enrol_device(supervisor)
    password_login(supervisor)
    wrong = "123456" if totp_code(device) != "123456" else "654321"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(VERIFY, {"code": wrong}, REMOTE_ADDR="198.51.100.8")
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        client.post(VERIFY, {"code": "zzzz-zzzz"}, REMOTE_ADDR="198.51.100.8")
        client.post(VERIFY, {"code": wrong}, REMOTE_ADDR="198.51.100.8")  # the app device now waits 2 s
        client.post(VERIFY, {"code": wrong}, REMOTE_ADDR="198.51.100.8")
    failed = list(events(SecurityEvent.Kind.TWO_FACTOR_FAILED))
    assert [e.reason for e in failed] == [WRONG_APP_CODE_REASON, WRONG_BACKUP_CODE_REASON, WRONG_APP_CODE_REASON,
                                          THROTTLED_CODE_REASON]
    assert {(e.user, e.actor, e.ip) for e in failed} == {(supervisor, supervisor, "198.51.100.8")}
    assert wrong not in stored_text() and "zzzz" not in stored_text()
    assert not any(code in stored_text() for code in codes)


def test_a_right_code_records_no_failure(client, supervisor, password_login):
    device, _ = enrol_device(supervisor)
    password_login(supervisor)
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    assert not events(SecurityEvent.Kind.TWO_FACTOR_FAILED).exists()


def test_security_events_cannot_be_changed_or_deleted(client, peer):
    attempt(client, peer.email)
    table = SecurityEvent._meta.db_table
    for sql in (f"UPDATE {table} SET reason = 'nothing happened'", f"DELETE FROM {table}"):
        with pytest.raises((InternalError, IntegrityError, ProgrammingError)), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)
    assert SecurityEvent.objects.count() == 1


# --- The audit report --------------------------------------------------------------------------

def security_tab(client, **filters):
    return client.get(REPORT, {"tab": "security", **filters})


def test_the_admin_sees_failed_logins_lockouts_and_reset_requests_of_their_staff(client, login, admin, peer):
    for n in range(5):
        attempt(client, peer.email, address=f"198.51.100.{n + 1}")
    client.post(reverse("password_reset"), {"email": peer.email}, REMOTE_ADDR="198.51.100.7")
    page = security_tab(login(admin))
    assert page.status_code == 200
    kinds = [e.kind for e in page.context["page"].object_list]
    assert kinds.count(SecurityEvent.Kind.LOGIN_FAILED) == 5
    assert kinds.count(SecurityEvent.Kind.LOCKED_OUT) == 1
    assert kinds.count(SecurityEvent.Kind.PASSWORD_RESET_REQUESTED) == 1
    html = page.content.decode()
    assert "Failed sign-in" in html and "Sign-in locked after failures" in html and "198.51.100.5" in html


def test_a_person_of_two_programs_shows_in_both_audits_and_in_no_other(
    client, login, admin, peer, other_program, outsider
):
    MembershipFactory(user=peer, program=other_program, role=Membership.Role.PEER)
    unrelated = make_staff(other_program, Membership.Role.PEER, email="una@example.org")
    attempt(client, peer.email)
    attempt(client, unrelated.email)
    for viewer in (admin, outsider):
        page = security_tab(login(viewer), kind=SecurityEvent.Kind.LOGIN_FAILED)
        users = {e.user for e in page.context["page"].object_list}
        assert peer in users
        assert (unrelated in users) == (viewer == outsider)


def test_failures_for_unknown_emails_show_in_no_programs_audit(client, login, admin):
    attempt(client, "ghost@example.org")
    page = security_tab(login(admin))
    assert page.context["page"].paginator.count == 0
    assert "ghost@example.org" not in page.content.decode()


def test_a_superuser_sees_unknown_email_failures_in_the_django_admin(client, login, db):
    attempt(client, "ghost@example.org")
    root = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root")
    page = login(root).get(reverse("admin:recovery_securityevent_changelist"))
    assert page.status_code == 200
    assert "ghost@example.org" in page.content.decode()


def test_the_sign_in_tab_filters_by_event_address_person_and_date(client, login, admin, peer, other_peer):
    start = timezone.now() - timedelta(days=3)
    with time_machine.travel(start, tick=False):
        attempt(client, peer.email, address="203.0.113.1")
    attempt(client, peer.email, address="203.0.113.2")
    attempt(client, other_peer.email, address="203.0.113.2")
    client.post(reverse("password_reset"), {"email": other_peer.email}, REMOTE_ADDR="203.0.113.2")
    admin_client = login(admin)

    def rows(**filters):
        page = security_tab(admin_client, **filters)
        assert page.status_code == 200
        return [(e.kind, e.user, e.ip) for e in page.context["page"].object_list]

    assert rows(ip="203.0.113.1") == [(SecurityEvent.Kind.LOGIN_FAILED, peer, "203.0.113.1")]
    assert rows(kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED) == [
        (SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, other_peer, "203.0.113.2")]
    assert len(rows(user=str(peer.uuid))) == 2
    today = timezone.localdate(timezone.now(), admin.memberships.get().program.zone).isoformat()
    assert len(rows(user=str(peer.uuid), date_from=today)) == 1
    bad = security_tab(admin_client, ip="not-an-ip")
    assert bad.status_code == 200 and bad.context["form"].errors["ip"]
    assert 'value="not-an-ip"' in bad.content.decode()  # the typed value is kept


def test_the_sign_in_csv_has_the_same_rows_with_email_and_reason(client, login, admin, peer):
    for n in range(5):
        attempt(client, peer.email, address=f"198.51.100.{n + 1}")
    response = login(admin).get(EXPORT, {"tab": "security", "kind": SecurityEvent.Kind.LOCKED_OUT})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["Event"] == "Sign-in locked after failures"
    assert rows[0]["Email"] == peer.email and rows[0]["IP address"] == "198.51.100.5"
    assert rows[0]["Reason"] == LOCKED_ACCOUNT_REASON.format(count=5) and rows[0]["By"] == ""


def test_the_sign_in_tab_keeps_its_query_count_with_many_events(
    login, admin, peer, program, django_assert_max_num_queries, frozen_time
):
    stranger = Client()  # ``client`` is the admin's own browser
    attempt(stranger, peer.email)
    admin_client = login(admin)
    with django_assert_max_num_queries(14) as few:
        security_tab(admin_client)
    budget = len(few.captured_queries)
    for n in range(12):
        person = make_staff(program, Membership.Role.PEER, email=f"many{n}@example.org")
        attempt(stranger, person.email, address=f"198.51.100.{n + 1}")
        attempt(stranger, f"unknown{n}@example.org", address=f"198.51.100.{n + 1}")
    with django_assert_max_num_queries(budget):
        page = security_tab(admin_client)
    assert page.context["page"].paginator.count == 13

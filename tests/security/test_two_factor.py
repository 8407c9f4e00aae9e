"""Two-factor authentication: who must use it, enrolment, the code step at login, backup codes."""

from __future__ import annotations

import re
from base64 import b32encode
from binascii import unhexlify
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.forms import WRONG_ENROL_CODE
from recovery.models import Membership, SecurityEvent
from recovery.twofactor import two_factor_required
from recovery.views.twofactor import ENROL_KEY_SESSION_KEY, WRONG_CODE
from tests.factories import enrol_device, make_staff, totp_code

ENROL = reverse("twofactor:enrol")
VERIFY = reverse("twofactor:verify")


def enrol_key(client) -> str:
    return client.session[ENROL_KEY_SESSION_KEY]


def code_for_key(key: str) -> str:
    return totp_code(TOTPDevice(key=key))


# --- Who must use it ------------------------------------------------------------------------------

def test_supervisor_without_a_second_factor_is_sent_to_enrolment_before_anything_else(
    client, supervisor, password_login
):
    password_login(supervisor)
    for url in ["/", reverse("notifications"), reverse("twofactor:overview"), reverse("audit:report"),
                reverse("twofactor:backup_codes"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{ENROL}?next={url.replace('/', '%2F')}", url
    assert client.get(ENROL).status_code == 200


def test_the_allow_list_lets_through_logout_static_files_and_healthz(client, supervisor, password_login):
    password_login(supervisor)
    assert client.get(reverse("healthz")).status_code in (200, 503)  # answered, not redirected
    assert client.get("/static/js/session-timeout.js").status_code == 200
    assert client.get(reverse("session_status")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")


def test_post_and_htmx_requests_are_sent_to_enrolment_too(client, admin, password_login):
    password_login(admin)
    response = client.post(reverse("notification_read_all"))
    assert response.status_code == 302 and response.url.startswith(ENROL)
    htmx = client.get(reverse("notifications"), headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/"})
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"] == f"{ENROL}?next=%2F"


@pytest.mark.parametrize("role", [Membership.Role.SUPERVISOR, Membership.Role.ADMIN])
def test_supervisors_and_admins_must_use_two_factor(program, role):
    assert two_factor_required(make_staff(program, role))


def test_peers_must_use_two_factor_only_when_their_program_requires_it(client, program, peer, password_login):
    assert not two_factor_required(peer)
    password_login(peer)
    assert client.get("/").status_code == 200

    program.require_two_factor_for_peers = True
    program.save()
    peer.__dict__.pop("active_memberships", None)
    assert two_factor_required(peer)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(ENROL)


def test_django_admin_staff_must_use_two_factor(db):
    from tests.factories import UserFactory

    assert two_factor_required(UserFactory(is_staff=True))


def test_demo_accounts_are_exempt_only_in_demo_mode(client, program, settings, password_login):
    demo_supervisor = make_staff(program, Membership.Role.SUPERVISOR, email="supervisor@demo.example")
    settings.DEMO_MODE = True
    password_login(demo_supervisor)
    assert client.get("/").status_code == 200

    settings.DEMO_MODE = False
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(ENROL)


# --- Enrolment --------------------------------------------------------------------------------------

def test_enrolment_page_shows_a_qr_code_and_the_secret_for_manual_entry(client, supervisor, password_login):
    password_login(supervisor)
    response = client.get(ENROL)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml[^"]+"[^>]* alt="QR code', html)
    secret = b32encode(unhexlify(enrol_key(client))).decode()
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    assert grouped in html
    assert "style=" not in html  # the CSP allows no inline styles
    assert 'for="id_code"' in html and "<h1" in html
    # The secret stays the same while the user sets up their app (a reload must not change it).
    assert client.get(ENROL).content.decode().count(grouped) == 1


def test_enrolment_with_a_wrong_code_is_rejected_at_the_field_and_keeps_the_secret(client, supervisor, password_login):
    password_login(supervisor)
    client.get(ENROL)
    key = enrol_key(client)
    response = client.post(ENROL, {"code": "000000" if code_for_key(key) != "000000" else "111111"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [WRONG_ENROL_CODE]
    assert response.context["form"]["code"].value()  # what was typed is kept
    assert '<a href="#id_code" class="alert-link">' in response.content.decode()  # the error summary
    assert enrol_key(client) == key
    assert not TOTPDevice.objects.filter(user=supervisor).exists()


def test_enrolment_with_the_right_code_turns_two_factor_on_and_shows_backup_codes_once(
    client, supervisor, password_login
):
    password_login(supervisor, next_url="/notifications/")
    client.get(f"{ENROL}?next=/notifications/")
    key = enrol_key(client)
    session_key = client.session.session_key
    response = client.post(ENROL, {"code": code_for_key(key), "next": "/notifications/"})

    assert response.status_code == 302
    assert response.url == f"{reverse('twofactor:backup_codes')}?next=%2Fnotifications%2F"
    device = TOTPDevice.objects.get(user=supervisor)
    assert device.confirmed and device.key == key
    assert client.session.session_key != session_key  # a new session key at the change of privilege
    assert SecurityEvent.objects.filter(user=supervisor, kind=SecurityEvent.Kind.TWO_FACTOR_ENROLLED).count() == 1

    shown = client.get(response.url)
    codes = shown.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in shown.content.decode()
    assert 'href="/notifications/"' in shown.content.decode()
    again = client.get(reverse("twofactor:backup_codes"))
    assert again.context["codes"] is None
    assert not any(code in again.content.decode() for code in codes)
    assert client.get("/notifications/").status_code == 200  # the session is verified


def test_a_double_submitted_enrolment_creates_one_device(client, supervisor, password_login):
    password_login(supervisor)
    client.get(ENROL)
    code = code_for_key(enrol_key(client))
    first = client.post(ENROL, {"code": code})
    second = client.post(ENROL, {"code": code})
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("twofactor:overview")
    assert TOTPDevice.objects.filter(user=supervisor).count() == 1
    assert SecurityEvent.objects.filter(user=supervisor).count() == 1


def test_enrolment_and_code_pages_require_login(client, db):
    for url in (ENROL, VERIFY, reverse("twofactor:overview"), reverse("twofactor:backup_codes")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_a_user_with_a_device_cannot_replace_it_before_giving_a_code(client, supervisor, password_login):
    enrol_device(supervisor)
    password_login(supervisor)
    response = client.get(ENROL)
    assert response.status_code == 302 and response.url.startswith(VERIFY)


# --- The code step ------------------------------------------------------------------------------------

def test_login_with_a_device_asks_for_the_code_and_rejects_a_wrong_one(client, supervisor, password_login):
    device, _ = enrol_device(supervisor)
    password_login(supervisor, next_url="/notifications/")
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Fnotifications%2F"
    page = client.get(response.url)
    assert page.status_code == 200 and 'for="id_code"' in page.content.decode()

    wrong = "123456" if totp_code(device) != "123456" else "654321"
    rejected = client.post(VERIFY, {"code": wrong, "next": "/notifications/"})
    assert rejected.status_code == 200
    assert rejected.context["form"].errors["code"] == [WRONG_CODE]
    assert '<a href="#id_code" class="alert-link">' in rejected.content.decode()  # the error summary
    assert client.get("/").status_code == 302  # still nothing but the code step

    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):  # past the 1-second throttle
        session_key = client.session.session_key
        accepted = client.post(VERIFY, {"code": totp_code(device), "next": "/notifications/"})
        assert accepted.status_code == 302 and accepted.url == "/notifications/"
        assert client.session.session_key != session_key
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/").status_code == 200


def test_an_authenticator_code_cannot_be_used_twice(client, supervisor, password_login):
    device, _ = enrol_device(supervisor)
    password_login(supervisor)
    code = totp_code(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_login(supervisor)
    replay = client.post(VERIFY, {"code": code})
    assert replay.status_code == 200 and replay.context["form"].errors["code"]


def test_backup_codes_work_once(client, supervisor, password_login):
    _, codes = enrol_device(supervisor)
    password_login(supervisor)
    response = client.post(VERIFY, {"code": codes[0].upper()})  # typed in capitals: still accepted
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    client.post(reverse("logout"))
    password_login(supervisor)
    reused = client.post(VERIFY, {"code": codes[0]})
    assert reused.status_code == 200 and reused.context["form"].errors["code"] == [WRONG_CODE]
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        assert client.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=supervisor).count() == 8


def test_repeated_wrong_codes_are_slowed_down(client, supervisor, password_login):
    device, _ = enrol_device(supervisor)
    password_login(supervisor)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(VERIFY, {"code": "000001"})
        client.post(VERIFY, {"code": "000002"})
        throttled = client.post(VERIFY, {"code": totp_code(device)})
        assert throttled.status_code == 200
        assert "Too many wrong codes" in throttled.context["form"].errors["code"][0]
    with time_machine.travel(start + timedelta(seconds=3), tick=False):
        assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302


def test_new_backup_codes_replace_the_old_ones(login, supervisor, client):
    login(supervisor)
    _, old = enrol_device(supervisor)
    response = client.post(reverse("twofactor:backup_codes"))
    assert response.status_code == 302
    new = client.get(response.url).context["codes"]
    assert set(new).isdisjoint(old)
    assert set(StaticToken.objects.filter(device__user=supervisor).values_list("token", flat=True)) == set(new)
    assert SecurityEvent.objects.filter(user=supervisor, kind=SecurityEvent.Kind.BACKUP_CODES_CREATED).exists()


def test_overview_shows_whether_two_factor_is_on(login, peer, supervisor, client):
    assert "Off" in login(peer).get(reverse("twofactor:overview")).content.decode()
    enrol_device(peer)
    assert "On" in client.get(reverse("twofactor:overview")).content.decode()


def test_two_factor_pages_run_a_few_queries(frozen_time, client, login, supervisor, password_login,
                                            django_assert_max_num_queries):
    password_login(supervisor)
    with django_assert_max_num_queries(12):
        assert client.get(ENROL).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("session_status")).status_code == 200
    enrol_device(supervisor)
    client.post(reverse("logout"))
    password_login(supervisor)
    with django_assert_max_num_queries(12):
        assert client.get(VERIFY).status_code == 200
    login(supervisor)
    for url in (reverse("twofactor:overview"), reverse("twofactor:backup_codes")):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200

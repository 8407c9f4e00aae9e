"""Security journeys in a real browser: two-factor enrolment and the code step (axe-core on each page),
and the idle time-out that signs out without losing what was typed (a shortened time-out, with the
browser's clock and the server's clock moved forward together)."""

from __future__ import annotations

import re
from base64 import b32decode
from binascii import hexlify
from datetime import timedelta

import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD, enrol_device, totp_code

TYPED = "Lost phone on the bus on Tuesday; identity confirmed by a call to the office line."


def fill_password_step(page, user) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_supervisor_enrols_then_logs_in_with_a_code(page, live_server, supervisor, assert_accessible,
                                                    assert_fits_phone):
    page.goto(f"{live_server.url}/accounts/login/")
    fill_password_step(page, supervisor)
    page.wait_for_url(re.compile(r"/accounts/two-factor/enrol/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor authentication"
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page, "enrolment")
    assert_fits_phone(page)
    assert_accessible(page, "enrolment at 360px")

    secret = page.locator("#manual-key").inner_text().replace(" ", "")
    key = hexlify(b32decode(secret)).decode()
    page.get_by_label("Code from your app").fill("000000" if totp_code(TOTPDevice(key=key)) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_text("That code does not match").first).to_be_visible()
    assert_accessible(page, "enrolment with an error")
    page.get_by_label("Code from your app").fill(totp_code(TOTPDevice(key=key)))
    page.get_by_role("button", name="Turn on two-factor").click()

    page.wait_for_url(re.compile(r"/accounts/two-factor/backup-codes/"))
    assert page.get_by_role("list", name="Your backup codes").locator("li").count() == 10
    assert_accessible(page, "backup codes")
    page.get_by_role("link", name="I saved my codes, continue").click()
    page.wait_for_url(f"{live_server.url}/")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name=supervisor.get_short_name()).click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    fill_password_step(page, supervisor)
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Enter your code"
    assert_accessible(page, "code step")
    assert_fits_phone(page)
    page.get_by_label("Authentication code").fill("999999" if totp_code(TOTPDevice(key=key)) != "999999" else "888888")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code did not work").first).to_be_visible()
    assert_accessible(page, "code step with an error")
    device = TOTPDevice.objects.get(user=supervisor)
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=True):  # the next code, past the throttle
        page.get_by_label("Authentication code").fill(totp_code(device))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "My day"


def open_reset_form(page, live_server, browser_login, admin, supervisor) -> str:
    enrol_device(supervisor)
    page.clock.install()
    browser_login(page, admin)
    url = f"{live_server.url}/accounts/two-factor/staff/?reset={supervisor.uuid}"
    page.goto(url)
    page.get_by_label("Reason").fill(TYPED)
    return url


def log_in_again(page, admin, backup_code: str) -> None:
    fill_password_step(page, admin)
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    page.get_by_label("Authentication code").fill(backup_code)
    page.get_by_role("button", name="Verify").click()


def test_idle_time_out_warns_signs_out_and_keeps_the_typed_text(page, live_server, program, admin, supervisor,
                                                                browser_login, assert_accessible):
    program.idle_timeout_minutes = 2
    program.save()
    url = open_reset_form(page, live_server, browser_login, admin, supervisor)
    start = timezone.now()

    with time_machine.travel(start + timedelta(seconds=62), tick=True):
        page.clock.fast_forward(62_000)  # 58 seconds left: the warning
        dialog = page.get_by_role("dialog", name="Are you still there?")
        dialog.wait_for()
        expect(dialog.get_by_role("button", name="Stay signed in")).to_be_visible()
        assert_accessible(page, "time-out warning")
        dialog.get_by_role("button", name="Stay signed in").click()
        dialog.wait_for(state="hidden")

    with time_machine.travel(start + timedelta(seconds=62 + 121), tick=True):
        page.clock.fast_forward(121_000)  # past the time-out: the warning, then sign-out
        page.wait_for_url(re.compile(r"/accounts/login/\?next="))
        expect(page.get_by_text("signed out after 2 minutes without activity")).to_be_visible()
        assert_accessible(page, "login after the time-out")

        from tests.browser.conftest import backup_code_for

        log_in_again(page, admin, backup_code_for(admin))
        page.wait_for_url(url)
        assert page.get_by_label("Reason").input_value() == TYPED
        expect(page.get_by_role("status").filter(has_text="What you typed before you were signed out")).to_be_visible()
        assert_accessible(page, "form with restored text")


def test_a_form_submitted_after_the_time_out_keeps_its_text(page, live_server, program, admin, supervisor,
                                                           browser_login):
    program.idle_timeout_minutes = 2
    program.save()
    url = open_reset_form(page, live_server, browser_login, admin, supervisor)

    # The laptop slept: the server's time-out passed, but the page's timers never ran.
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=True):
        page.get_by_role("button", name="Reset two-factor").click()
        page.wait_for_url(re.compile(r"/accounts/login/\?next="))

        from tests.browser.conftest import backup_code_for

        log_in_again(page, admin, backup_code_for(admin))
        page.wait_for_url(url)
        assert page.get_by_label("Reason").input_value() == TYPED
    assert TOTPDevice.objects.filter(user=supervisor).exists()  # nothing was reset by the bounced post

    # Submitted for real, the text is cleared from the tab's storage.
    page.get_by_role("button", name="Reset two-factor").click()
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/staff/")
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    page.goto(url)
    assert page.get_by_label("Reason").input_value() == ""
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('lantern.'))") == []

"""Each role logs in through the real form, lands on My day, and every page visited passes axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_navigation


@pytest.fixture
def people(peer, supervisor, admin, other_peer):
    return {"peer": peer, "supervisor": supervisor, "admin": admin}


@pytest.mark.parametrize("role", ["peer", "supervisor", "admin"])
def test_each_role_logs_in_to_my_day(page, live_server, people, role, form_login, assert_accessible,
                                     assert_fits_phone):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login page")
    form_login(page, people[role])
    assert page.get_by_role("heading", level=1).inner_text() == "My day"
    expect(page.locator("main").get_by_text(people[role].memberships.get().program.name).first).to_be_visible()
    assert_accessible(page, f"My day as {role}")
    assert_fits_phone(page)
    assert_accessible(page, f"My day as {role} at 360px")


def test_phone_navigation_opens_and_logout_works(page, live_server, peer, browser_login):
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, peer)
    open_navigation(page)
    page.get_by_role("link", name="Notifications").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    open_navigation(page)
    page.get_by_role("button", name=peer.get_short_name()).click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_wrong_password_shows_an_error_and_keeps_the_email(page, live_server, peer, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(peer.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("do not match an active account")).to_be_visible()
    assert page.get_by_label("Email").input_value() == peer.email
    assert_accessible(page, "login error")


def test_no_csp_violations_on_my_day(page, live_server, peer, browser_login):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    browser_login(page, peer)
    page.reload()
    assert errors == []

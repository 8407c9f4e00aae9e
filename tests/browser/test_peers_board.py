"""Browser journey (Done-when 6): an admin finds who expires soonest and opens that record; axe-core clean."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from recovery.models import Membership
from tests.factories import CPRS, PR, RPRS, ContinuingEducationFactory, CredentialFactory, default_type, make_staff

HOURS = re.compile(r"Hours\*")  # crispy marks required fields with an asterisk


@pytest.fixture
def staff_with_credentials(program, admin, supervisor, peer, other_peer):
    today = program.today()
    soonest = make_staff(program, Membership.Role.PEER, supervisor=supervisor, full_name="Quinn Soonest",
                         email="quinn@example.org")
    for user, kind, days in [(peer, CPRS, 300), (peer, RPRS, 60), (other_peer, RPRS, 80), (soonest, RPRS, 12),
                             (supervisor, CPRS, -5)]:
        CredentialFactory(membership=user.memberships.get(), type=default_type(kind), today=today, expires_in=days)
    CredentialFactory(membership=other_peer.memberships.get(), type=default_type(PR), in_training=True)
    ContinuingEducationFactory(membership=peer.memberships.get(), completed_on=today - timedelta(days=5))
    return soonest


def test_admin_finds_who_expires_soonest_and_opens_their_record(page, live_server, admin, staff_with_credentials,
                                                               browser_login, assert_accessible, assert_fits_phone):
    browser_login(page, admin)
    page.get_by_role("link", name="Staff").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "Certification status"
    assert_accessible(page, "status board")

    page.locator("#board-counts a[data-status=expiring]").click()
    page.wait_for_url("**/staff/?status=expiring")
    rows = page.locator("#board tbody tr")
    assert rows.count() == 3
    first = rows.first.get_by_role("link")
    assert first.inner_text() == "Quinn Soonest"
    assert "in 12 days" in rows.first.inner_text()
    assert_accessible(page, "board filtered by expiring")

    first.click()
    page.wait_for_url(f"{live_server.url}/staff/{staff_with_credentials.uuid}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Quinn Soonest"
    expect(page.get_by_text("Expires on").first).to_be_visible()
    assert_accessible(page, "staff record")


def test_board_fits_a_phone_and_stays_accessible(page, live_server, admin, staff_with_credentials, browser_login,
                                                 assert_accessible, assert_fits_phone):
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, admin)
    page.goto(f"{live_server.url}/staff/")
    assert_fits_phone(page)
    assert_accessible(page, "status board at 360px")
    page.goto(f"{live_server.url}/staff/{staff_with_credentials.uuid}/")
    assert_fits_phone(page)
    assert_accessible(page, "staff record at 360px")


def test_peer_sees_their_record_and_logs_ce(page, live_server, peer, browser_login,
                                                                  assert_accessible, assert_fits_phone, program):
    CredentialFactory(membership=peer.memberships.get(), type=default_type(RPRS), today=program.today(),
                      expires_in=40)
    browser_login(page, peer)
    page.goto(f"{live_server.url}/staff/")
    expect(page.get_by_role("heading", name="What I still need before renewal")).to_be_visible()
    assert_accessible(page, "peer's own record")
    page.get_by_role("link", name="Log continuing education").click()
    assert_accessible(page, "CE form")
    page.get_by_label(re.compile(r"Date completed")).fill(str(program.today()))
    page.get_by_label(re.compile(r"Title")).fill("Ethics refresher")
    page.get_by_label(re.compile(r"Provider")).fill("Training Co")
    page.get_by_label(HOURS).fill("30")
    page.get_by_role("button", name="Save").click()
    # In the summary at the top, and at the field.
    expect(page.locator("[data-error-summary]").get_by_text("No more than 24 hours")).to_be_visible()
    assert page.get_by_label(re.compile(r"Title")).input_value() == "Ethics refresher"
    assert_accessible(page, "CE form with an error")
    page.get_by_label(HOURS).fill("2")
    page.get_by_label("Of which ethics hours").fill("2")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/staff/{peer.uuid}/#ce")
    expect(page.get_by_role("cell", name="Ethics refresher Training Co")).to_be_visible()
    assert_fits_phone(page)


def test_every_management_page_is_accessible_and_fits_a_phone(page, live_server, admin, peer, program, browser_login,
                                                             assert_accessible, assert_fits_phone):
    membership = peer.memberships.get()
    credential = CredentialFactory(membership=membership, type=default_type(CPRS), today=program.today())
    ce = ContinuingEducationFactory(membership=membership)
    browser_login(page, admin)
    pages = {
        "credential types": "/staff/types/",
        "add credential type": "/staff/types/add/",
        "adapt a default type": f"/staff/types/{default_type(RPRS).uuid}/edit/",
        "add credential": f"/staff/{peer.uuid}/credentials/add/",
        "edit and end credential": f"/staff/credentials/{credential.uuid}/edit/",
        "edit profile": f"/staff/{peer.uuid}/profile/",
        "log hours": f"/staff/{peer.uuid}/hours/add/",
        "edit CE": f"/staff/ce/{ce.uuid}/edit/",
    }
    for where, path in pages.items():
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, where
        assert_accessible(page, where)
        assert_fits_phone(page)

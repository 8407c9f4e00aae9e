"""Emergency access in a browser (issue 8, Done when 6): an admin puts a peer on the list; the peer, refused
without a reason, gives one and reads the participant under an "Emergency access" banner. Every page passes
axe-core, also at 360 px wide."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import expect

from recovery.models import EmergencyAccessGrant, Notification
from tests.factories import ClientFactory


def check(page, where, assert_accessible, assert_fits_phone):
    assert_accessible(page, where)
    desktop = page.viewport_size
    assert_fits_phone(page)
    assert_accessible(page, f"{where} at 360px")
    page.set_viewport_size(desktop)


def test_a_listed_peer_breaks_the_glass_with_a_reason(page, live_server, program, peer, other_peer, admin,
                                                      browser_login, assert_accessible, assert_fits_phone):
    participant = ClientFactory(program=program, primary_peer=peer, full_name="Robin Glass",
                                birth_date=datetime.date(1990, 5, 6))

    browser_login(page, admin)
    page.goto(f"{live_server.url}/accounts/emergency-access/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access")
    check(page, "emergency access list", assert_accessible, assert_fits_phone)
    page.get_by_label(re.compile(re.escape(other_peer.full_name))).check()
    page.get_by_role("button", name="Save the list").click()
    expect(page.get_by_text("Emergency access list saved")).to_be_visible()
    page.context.clear_cookies()

    browser_login(page, other_peer)
    page.goto(f"{live_server.url}/clients/emergency/")
    check(page, "emergency access", assert_accessible, assert_fits_phone)
    page.get_by_label(re.compile(r"^\s*Participant's full name")).fill("robin  GLASS")
    page.get_by_label(re.compile(r"^\s*Date of birth")).fill("1990-05-06")
    page.get_by_label(re.compile(r"^\s*Reason")).fill("urgent")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_text(re.compile(r"at least 20 characters"))).to_have_count(2)  # the summary and the field
    expect(page.get_by_label(re.compile(r"^\s*Participant's full name"))).to_have_value("robin  GLASS")
    check(page, "emergency access with an error", assert_accessible, assert_fits_phone)
    assert not EmergencyAccessGrant.objects.exists()

    page.get_by_label(re.compile(r"^\s*Reason")).fill("Called from the ER; her peer specialist is away today.")
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(f"{live_server.url}/clients/{participant.uuid}/")
    expect(page.get_by_role("status").filter(has_text="Emergency access until")).to_be_visible()
    check(page, "participant under emergency access", assert_accessible, assert_fits_phone)
    assert EmergencyAccessGrant.objects.get().user == other_peer
    assert Notification.objects.filter(recipient=admin, kind="emergency_access").exists()

"""Issue 15, point 13 (second half) in a browser: a program admin merges two records of one person: from the
duplicate's page, finds the record to keep, reads both side by side with what moves, gives a reason (required)
and lands on the kept record; the duplicate's page then opens the kept one. Every page passes axe-core, also
at 360 px wide."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from clients.models import Client, SessionNote
from tests.browser.test_emergency_journey import check
from tests.factories import ClientFactory, SessionNoteFactory


def test_an_admin_merges_two_records_of_one_person(page, live_server, program, peer, admin, browser_login,
                                                    assert_accessible, assert_fits_phone):
    kept = ClientFactory(program=program, primary_peer=peer, full_name="Rosa Twice")
    duplicate = ClientFactory(program=program, primary_peer=peer, full_name="Rosa Twice")
    note = SessionNoteFactory(client=duplicate, signed=True)
    browser_login(page, admin)
    page.goto(f"{live_server.url}{duplicate.get_absolute_url()}")
    page.get_by_role("link", name="Merge with another record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge with another record")
    check(page, "merge: pick the record to keep", assert_accessible, assert_fits_phone)
    page.get_by_label("Find the record to keep").fill("Rosa")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Keep Rosa Twice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge two records of one person")
    check(page, "merge: both records side by side", assert_accessible, assert_fits_phone)

    page.get_by_role("button", name="Merge the records").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check(page, "merge: without a reason", assert_accessible, assert_fits_phone)
    page.get_by_label(re.compile(r"^\s*Why are these two records of one person")).fill("Enrolled twice.")
    page.get_by_role("button", name="Merge the records").click()
    page.wait_for_url(f"{live_server.url}{kept.get_absolute_url()}")
    expect(page.get_by_text("Merged: everything from the other record is now on this one.")).to_be_visible()
    check(page, "the kept record after a merge", assert_accessible, assert_fits_phone)
    assert Client.objects.get(pk=duplicate.pk).merged_into_id == kept.pk
    assert SessionNote.objects.get(pk=note.pk).client_id == kept.pk

    page.goto(f"{live_server.url}{duplicate.get_absolute_url()}")
    page.wait_for_url(f"{live_server.url}{kept.get_absolute_url()}")
    expect(page.get_by_text("That record was merged into this one")).to_be_visible()

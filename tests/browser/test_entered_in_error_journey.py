"""Issue 15, point 13 in a browser: a program admin marks a record as entered in error (a reason is
required), reads it under its banner, finds it through the participant list's filter and restores it. Every
page passes axe-core, also at 360 px wide."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from clients.models import Client
from tests.browser.test_emergency_journey import check
from tests.factories import ClientFactory


def test_an_admin_marks_a_record_entered_in_error_and_restores_it(page, live_server, program, peer, admin,
                                                                  browser_login, assert_accessible,
                                                                  assert_fits_phone):
    mistaken = ClientFactory(program=program, primary_peer=peer, full_name="Mia Mistaken")
    browser_login(page, admin)
    page.goto(f"{live_server.url}{mistaken.get_absolute_url()}")
    page.get_by_role("link", name="Entered in error? Mark this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark this record as entered in error")
    check(page, "mark as entered in error", assert_accessible, assert_fits_phone)

    page.get_by_role("button", name="Mark as entered in error").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check(page, "mark as entered in error, without a reason", assert_accessible, assert_fits_phone)
    page.get_by_label(re.compile(r"^\s*Why was this record entered in error")).fill("A test entry at training.")
    page.get_by_role("button", name="Mark as entered in error").click()
    page.wait_for_url(f"{live_server.url}{mistaken.get_absolute_url()}")
    expect(page.get_by_role("status").filter(has_text="marked as entered in error by Ada Admin")).to_be_visible()
    check(page, "a record entered in error", assert_accessible, assert_fits_phone)
    assert Client.objects.get(pk=mistaken.pk).set_aside_reason == "A test entry at training."

    page.goto(f"{live_server.url}/clients/?status=error")
    expect(page.get_by_role("link", name=re.compile("Mia Mistaken"))).to_be_visible()
    check(page, "participant list, entered in error", assert_accessible, assert_fits_phone)
    page.goto(f"{live_server.url}/clients/")
    expect(page.get_by_role("link", name=re.compile("Mia Mistaken"))).to_have_count(0)

    page.goto(f"{live_server.url}{mistaken.get_absolute_url()}")
    page.get_by_role("button", name="Restore this record").click()
    expect(page.get_by_text("Restored: the record is back in the lists.")).to_be_visible()
    assert not Client.objects.get(pk=mistaken.pk).is_set_aside

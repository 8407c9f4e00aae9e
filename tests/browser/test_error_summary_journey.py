"""Issue 15, point 12: a rejected form opens with its error summary focused; each link takes the focus to
its field. At 360 px, axe-clean."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_notes_journey import check, open_note_form


def test_a_rejected_note_form_focuses_its_error_summary_and_links_to_each_field(
        page, live_server, program, peer, browser_login, assert_accessible, assert_fits_phone):
    open_note_form(page, live_server, program, peer, browser_login)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log a session")
    page.get_by_role("button", name="Save as a draft").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check(page, "note form with its error summary", assert_accessible, assert_fits_phone)
    link = summary.get_by_role("link", name="What happened")
    link.click()
    expect(page.locator("#id_summary")).to_be_focused()

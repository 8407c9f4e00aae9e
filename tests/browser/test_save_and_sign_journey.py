"""Issue 15, point 8: from My day, a peer logs a session and signs it in two page loads (was three: the
form, the draft, the signed note), on a 360 px wide screen, every page axe-clean."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from clients.models import SessionNote
from tests.browser.conftest import session_length
from tests.browser.test_notes_journey import PHONE, check, field
from tests.factories import ClientFactory, GoalFactory, RecoveryPlanFactory, service_code, support_services


def test_log_and_sign_a_note_from_my_day_in_two_page_loads(page, live_server, program, peer, browser_login,
                                                           assert_accessible, assert_fits_phone):
    service_code()  # the data migration's rows: a browser test's database was flushed
    support_services()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    GoalFactory(plan=RecoveryPlanFactory(client=robin), text="Find a place of my own.")
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")
    check(page, "My day", assert_accessible, assert_fits_phone)

    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    page.get_by_role("link", name="Log a session", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    field(page, "Participant").select_option(label="Robin Record")
    expect(page.get_by_label("Find a place of my own.")).to_be_visible()  # htmx: not a page load
    page.get_by_label("Find a place of my own.").check()
    session_length(page, "45")
    field(page, "What happened").fill("Went through the housing application together.")
    field(page, "The participant's response").fill("Relieved to have it started.")
    expect(page.get_by_text("By signing, I attest")).to_be_visible()
    check(page, "note form with Save and sign", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Save and sign").click()

    expect(page.get_by_text(re.compile(r"Note signed: 3 billable units"))).to_be_visible()
    check(page, "signed note", assert_accessible, assert_fits_phone)
    assert len(loads) == 2, loads  # the form, then the signed note
    note = SessionNote.objects.get(client=robin)
    assert note.is_signed and note.signed_by == peer

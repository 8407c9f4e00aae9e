"""Issue 15, points 12 and 13 at 360 px, axe-clean: fields shown only when they apply, the searchable
checklist of participants discussed, the refused login's focused error summary, and the near-duplicate
warning at intake that lets the user continue once they have looked."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Client, FollowUp
from supervision.models import SupervisionSession
from tests.browser.test_notes_journey import PHONE, check, field, open_note_form
from tests.factories import ClientFactory, days, topics


def test_the_note_form_shows_the_crisis_description_and_follow_up_purpose_when_they_apply(
        page, live_server, program, peer, browser_login, assert_accessible, assert_fits_phone):
    robin = open_note_form(page, live_server, program, peer, browser_login)
    description, purpose = field(page, "What the crisis is"), field(page, "What the follow-up is for")
    expect(description).to_be_hidden()
    expect(purpose).to_be_hidden()
    check(page, "note form, nothing optional shown", assert_accessible, assert_fits_phone)

    page.get_by_label("This was a crisis").check()
    expect(description).to_be_visible()
    field(page, "Follow-up date").fill(days(5).isoformat())
    expect(purpose).to_be_visible()
    check(page, "note form with crisis and follow-up", assert_accessible, assert_fits_phone)
    page.get_by_label("This was a crisis").uncheck()
    expect(description).to_be_hidden()

    # Yesterday morning: whatever the hour the test runs, the session neither crosses midnight nor ends later.
    field(page, "Date").fill(days(-1).isoformat())
    field(page, "Start time").fill("10:00")
    field(page, "End time").fill("10:45")
    field(page, "What happened").fill("Talked through the week.")
    purpose.fill("Ask how the new job is going.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page).not_to_have_url(re.compile(r"/new/$"))
    assert FollowUp.objects.get(client=robin).purpose == "Ask how the new job is going."


def test_a_crisis_without_a_description_keeps_the_field_in_view_with_its_error(
        page, live_server, program, peer, browser_login, assert_accessible, assert_fits_phone):
    open_note_form(page, live_server, program, peer, browser_login)
    field(page, "What happened").fill("Talked through the week.")
    page.get_by_label("This was a crisis").check()
    page.get_by_role("button", name="Save as a draft").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="What the crisis is").click()
    expect(field(page, "What the crisis is")).to_be_focused()
    check(page, "note form with a crisis to describe", assert_accessible, assert_fits_phone)


def test_participants_discussed_is_a_checklist_found_by_typing(
        page, live_server, program, supervisor, peer, browser_login, assert_accessible, assert_fits_phone):
    topics()
    for n in range(40):
        ClientFactory(program=program, primary_peer=peer, full_name=f"Person {n:02d} Example")
    ClientFactory(program=program, primary_peer=peer, full_name="Zoë Quinn")
    page.set_viewport_size(PHONE)
    browser_login(page, supervisor)
    page.goto(f"{live_server.url}{reverse('supervision:session_new')}")
    finder = page.get_by_label("Find a participant")
    expect(finder).to_be_visible()
    finder.fill("zoe")
    expect(page.get_by_role("status").filter(has_text="1 of 41 shown")).to_be_visible()
    expect(page.get_by_label("Person 07 Example · Pat Peer")).to_be_hidden()
    page.get_by_label("Zoë Quinn · Pat Peer").check()
    check(page, "session form with the checklist filtered", assert_accessible, assert_fits_phone)
    finder.fill("")
    expect(page.get_by_label("Person 07 Example · Pat Peer")).to_be_visible()
    page.get_by_label("Individual").check()
    page.get_by_label("Pat Peer", exact=True).check()
    page.get_by_role("button", name="Save as draft").click()
    session = SupervisionSession.objects.get()
    page.wait_for_url(f"**{session.get_absolute_url()}")
    assert [c.full_name for c in session.participants_discussed.all()] == ["Zoë Quinn"]


def test_a_refused_login_focuses_the_summary_that_says_why(page, live_server, peer, assert_accessible,
                                                          assert_fits_phone):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Email").fill(peer.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    check(page, "refused login", assert_accessible, assert_fits_phone)


def test_intake_warns_about_a_near_duplicate_and_continues_once_confirmed(
        page, live_server, program, peer, browser_login, assert_accessible, assert_fits_phone):
    robert = ClientFactory(program=program, primary_peer=peer, full_name="Robert Smith",
                           birth_date=datetime.date(1980, 2, 3), phone="")
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    page.goto(f"{live_server.url}{reverse('clients:intake')}")
    field(page, "Name").fill("Bob Smith")
    field(page, "Date of birth").fill("1980-02-03")
    field(page, "Referral source").select_option("treatment")
    page.get_by_role("button", name="Enrol").click()
    warning = page.locator("#possible-matches")
    expect(warning.get_by_role("link", name="Robert Smith")).to_have_attribute("href", robert.get_absolute_url())
    expect(warning).to_contain_text("a similar name")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check(page, "intake with a possible match", assert_accessible, assert_fits_phone)
    assert Client.objects.count() == 1
    page.get_by_label("I checked: none of them is the person I am enrolling").check()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bob Smith")
    assert Client.objects.count() == 2

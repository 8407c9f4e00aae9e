"""Done when 1: on a 360 px wide screen a peer logs a session from My day in one form, signs it, and sees
the follow-up it created on My day. Every page passes axe-core."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from clients.models import FollowUp, SessionNote
from tests.browser.conftest import open_navigation, session_length
from tests.factories import (
    ClientFactory,
    GoalFactory,
    RecoveryPlanFactory,
    SessionNoteFactory,
    days,
    service_code,
    support_services,
)

PHONE = {"width": 360, "height": 740}


def field(page, label: str):
    """The input labelled ``label`` (crispy marks required fields with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def open_note_form(page, live_server, program, peer, browser_login):
    """A peer at 360 px on the note form of a participant they carry; the participant."""
    service_code()
    support_services()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    page.goto(f"{live_server.url}{reverse('clients:note_new', args=[robin.uuid])}")
    return robin


def check(page, where, assert_accessible, assert_fits_phone):
    assert_fits_phone(page)
    assert_accessible(page, where)


def test_peer_logs_a_session_from_my_day_signs_it_and_sees_its_follow_up(page, live_server, program, peer,
                                                                         browser_login, assert_accessible,
                                                                         assert_fits_phone):
    service_code()  # the data migration's rows: a browser test's database was flushed
    support_services()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    GoalFactory(plan=RecoveryPlanFactory(client=robin), text="Find a place of my own.")
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    expect(page.get_by_role("heading", level=1)).to_have_text("My day")
    check(page, "My day", assert_accessible, assert_fits_phone)

    page.get_by_role("link", name="Log a session", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    check(page, "note form", assert_accessible, assert_fits_phone)
    field(page, "Participant").select_option(label="Robin Record")
    goal = page.get_by_label("Find a place of my own.")
    expect(goal).to_be_visible()  # loaded by htmx for the chosen participant
    goal.check()
    session_length(page, "45")
    page.get_by_label("Advocacy").check()
    field(page, "What happened").fill("Went through the housing application together.")
    field(page, "The participant's response").fill("Relieved to have it started.")
    field(page, "Next steps").fill("Practise the interview questions.")
    field(page, "Follow-up date").fill(days(0).isoformat())
    field(page, "What the follow-up is for").fill("Call the housing office together.")
    check(page, "note form filled in", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Save as a draft").click()

    expect(page.get_by_role("heading", name="Draft: not signed yet")).to_be_visible()
    expect(page.get_by_text("45 minutes make 3 units")).to_be_visible()
    check(page, "draft note", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text(re.compile(r"Note signed: 3 billable units"))).to_be_visible()
    check(page, "signed note", assert_accessible, assert_fits_phone)

    open_navigation(page)
    page.get_by_role("link", name="My day").click()
    followups = page.get_by_role("heading", name=re.compile("Follow-ups due")).locator("xpath=..")
    expect(followups.get_by_role("link", name="Call the housing office together.")).to_be_visible()
    expect(followups.get_by_text("Due today")).to_be_visible()
    check(page, "My day with the follow-up", assert_accessible, assert_fits_phone)

    note = SessionNote.objects.get(client=robin)
    assert note.is_signed and note.signed_by == peer and note.duration_minutes == 45
    assert [g.text for g in note.goals.all()] == ["Find a place of my own."]
    followup = FollowUp.objects.get(client=robin)
    assert (followup.from_note, followup.due_on, followup.status) == (note, days(0), "open")


def test_rejected_note_keeps_typed_text_at_360px_and_is_accessible(page, live_server, program, peer, browser_login,
                                                                   assert_accessible, assert_fits_phone):
    open_note_form(page, live_server, program, peer, browser_login)
    field(page, "End time").fill("")
    field(page, "What happened").fill("Typed before the mistake.")
    field(page, "This was a crisis").check()
    page.get_by_role("button", name="Save as a draft").click()
    # Each message shows at its field (and in the error summary at the top of the form).
    at_field = page.locator(".invalid-feedback")
    length_needed = "Give the start and end times, or how many minutes the session lasted."
    expect(at_field.get_by_text(length_needed)).to_be_visible()
    expect(at_field.get_by_text("Say briefly what the crisis is")).to_be_visible()
    expect(field(page, "What happened")).to_have_value("Typed before the mistake.")
    check(page, "note form with errors", assert_accessible, assert_fits_phone)


def test_group_form_participant_page_and_follow_up_pages_are_accessible(page, live_server, program, peer,
                                                                        browser_login, assert_accessible,
                                                                        assert_fits_phone):
    service_code("S9445")
    support_services()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    ClientFactory(program=program, primary_peer=peer, full_name="Sam Second")
    signed = SessionNoteFactory(client=robin, signed=True, crisis_flag=True, crisis_description="Lost housing.")
    SessionNoteFactory(client=robin)
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    page.get_by_role("link", name="Log a group session").click()
    check(page, "group form", assert_accessible, assert_fits_phone)
    page.get_by_label("Robin Record", exact=True).check()
    page.get_by_label("Sam Second", exact=True).check()
    field(page, "Topic").fill("Coping with cravings")
    session_length(page, "60")
    field(page, "What happened in the group").fill("Shared what helps on hard evenings.")
    page.get_by_role("button", name="Save as drafts").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Group session")
    check(page, "group page", assert_accessible, assert_fits_phone)

    page.goto(f"{live_server.url}{robin.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Session notes")).to_be_visible()
    check(page, "participant page with notes", assert_accessible, assert_fits_phone)
    page.goto(f"{live_server.url}{signed.get_absolute_url()}")
    field(page, "Addendum").fill("Correction: the shelter was on Elm Street.")
    page.get_by_role("button", name="Add an addendum").click()
    expect(page.get_by_text("Correction: the shelter was on Elm Street.")).to_be_visible()
    check(page, "signed note with addendum", assert_accessible, assert_fits_phone)

    page.goto(f"{live_server.url}{reverse('clients:followup_new', args=[robin.uuid])}")
    field(page, "Due date").fill(days(2).isoformat())
    field(page, "What for").fill("Bring the bus schedule.")
    check(page, "new follow-up", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Add the follow-up").click()
    page.get_by_role("link", name="Bring the bus schedule.").click()
    check(page, "follow-up page", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_text("Follow-up done.")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('clients:caseload')}")
    check(page, "caseload with contact columns", assert_accessible, assert_fits_phone)

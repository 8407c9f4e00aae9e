"""Issue 15, point 10: a supervisor reviews two notes from the queue with "Approve and next" on a 360 px wide
screen: the queue shows each note's contact type and first line, crisis notes first, and filters by peer; the
review shows the goals worked on, the services, the crisis description and the late-entry flag. Every page
axe-clean."""

from __future__ import annotations

import datetime

from django.urls import reverse
from playwright.sync_api import expect

from clients.models import SessionNote
from clients.services.notes import note_sign
from supervision.models import NoteReview
from tests.browser.test_notes_journey import PHONE, check
from tests.factories import ClientFactory, GoalFactory, RecoveryPlanFactory, SessionNoteFactory, support_services


def signed_note(client, *, goal=None, services=(), **fields) -> SessionNote:
    note = SessionNoteFactory(client=client, **fields)
    if goal is not None:
        note.goals.set([goal])
    note.services.set(services)
    return note_sign(note=note, by=note.author)


def test_supervisor_reviews_two_notes_with_approve_and_next(page, live_server, program, supervisor, peer,
                                                            browser_login, assert_accessible, assert_fits_phone):
    program.note_review_policy = "all"
    program.save()
    jo = ClientFactory(program=program, primary_peer=peer, full_name="Jo Example")
    goal = GoalFactory(plan=RecoveryPlanFactory(client=jo), text="Keep the job through spring.")
    signed_note(jo, goal=goal, services=[support_services()["goal_setting"]], contact_type="phone",
                summary="Went over the week's shifts and the bus pass.")
    crisis = signed_note(jo, crisis_flag=True, crisis_description="Called after a relapse; safety plan made.",
                         summary="Relapse on Saturday night; we called the sponsor together.",
                         session_date=program.today() - datetime.timedelta(days=10))  # signed late
    assert crisis.late_entry
    assert NoteReview.objects.pending().count() == 2

    page.set_viewport_size(PHONE)
    browser_login(page, supervisor)
    page.goto(f"{live_server.url}{reverse('supervision:review_queue')}")
    items = page.locator("#pending li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Crisis")  # crisis notes first
    expect(items.first.locator(".review-first-line")).to_have_text("Relapse on Saturday night; we called the "
                                                                  "sponsor together.")
    expect(items.nth(1)).to_contain_text("Phone call")
    check(page, "review queue", assert_accessible, assert_fits_phone)

    items.first.locator("a").click()
    expect(page.get_by_text("Called after a relapse; safety plan made.")).to_be_visible()
    expect(page.get_by_text("Late entry")).to_be_visible()
    check(page, "crisis note review", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Approve and next").click()

    expect(page.get_by_text("Note approved")).to_be_visible()
    expect(page.locator("#review-goals")).to_have_text("Keep the job through spring.")
    expect(page.locator("#review-services")).to_contain_text("Goal setting")
    check(page, "next note review", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Approve and next").click()

    expect(page.get_by_text("That was the last note waiting for your review.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Note reviews")
    check(page, "empty queue", assert_accessible, assert_fits_phone)
    assert set(NoteReview.objects.values_list("status", flat=True)) == {"approved"}

"""Issue 15, point 11: on a 360 px wide screen a peer adds a measurable objective under a goal on the plan page,
marks a step done and the objective met in place (no page load), and sees the session that worked on the goal
in its progress; a new plan is offered the program's review date. Every page axe-clean."""

from __future__ import annotations

import datetime

from django.urls import reverse
from playwright.sync_api import expect

from clients.models import ActionStep, Objective
from clients.services.notes import note_sign
from tests.browser.test_notes_journey import PHONE, check, field
from tests.factories import ActionStepFactory, ClientFactory, GoalFactory, RecoveryPlanFactory, SessionNoteFactory


def test_peer_works_a_plan_on_the_phone(page, live_server, program, peer, browser_login, assert_accessible,
                                        assert_fits_phone):
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    plan = RecoveryPlanFactory(client=robin)
    goal = GoalFactory(plan=plan, text="Find a place of my own.")
    step = ActionStepFactory(goal=goal, description="Call the housing office")
    note = SessionNoteFactory(client=robin, session_date=program.today() - datetime.timedelta(days=2))
    note.goals.set([goal])
    note_sign(note=note, by=peer)
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.locator(f"#history-{goal.uuid}")).to_contain_text("worked on in a")
    check(page, "plan page", assert_accessible, assert_fits_phone)

    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    row = page.locator(f"#step-{step.uuid}")
    row.get_by_role("button", name="Mark done").click()
    expect(row.get_by_role("button", name="Mark not done")).to_be_visible()
    assert loads == []  # in place
    assert ActionStep.objects.get(pk=step.pk).done_on == program.today()

    page.get_by_text("Add an objective").click()
    field(page, "Objective").fill("Send three rental applications")
    field(page, "Target date").fill((program.today() + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Add the objective").click()
    expect(page.get_by_text("Send three rental applications", exact=True)).to_be_visible()
    check(page, "plan page with an objective", assert_accessible, assert_fits_phone)
    loads.clear()
    page.get_by_role("button", name="Mark met").click()
    expect(page.get_by_role("button", name="Mark not met")).to_be_visible()
    assert loads == []
    assert Objective.objects.get().met_on == program.today()

    other = ClientFactory(program=program, primary_peer=peer, full_name="Sam Second")
    page.goto(f"{live_server.url}{reverse('clients:plan_new', args=[other.uuid])}")
    suggested = program.today() + datetime.timedelta(days=program.plan_review_every_days)
    expect(field(page, "Review date")).to_have_value(suggested.isoformat())
    check(page, "new plan form", assert_accessible, assert_fits_phone)

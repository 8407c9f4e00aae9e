"""Done when 1: a peer enrols a participant, writes a plan with three goals in different dimensions, records
a consent, and sees them on the participant page. Every page passes axe-core, also at 360 px wide."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from clients import services
from clients.models import Client, Goal, GoalProgress
from tests.factories import (
    ActionStepFactory,
    ClientFactory,
    ConsentFactory,
    GoalFactory,
    RecoveryPlanFactory,
    days,
    dimensions,
)

GOALS = [
    ("I want a place of my own where I feel safe.", "Home (recovery)"),
    ("Walk every morning and sleep better.", "Physical (wellness)"),
    ("Go back to church with my aunt.", "Spiritual (wellness)"),
]


def field(page, label: str):
    """The input labelled ``label`` (crispy marks required fields with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def check(page, where, assert_accessible, assert_fits_phone):
    assert_accessible(page, where)
    desktop = page.viewport_size
    assert_fits_phone(page)
    assert_accessible(page, f"{where} at 360px")
    page.set_viewport_size(desktop)


def test_peer_enrols_plans_and_records_consent(page, live_server, peer, browser_login, assert_accessible,
                                               assert_fits_phone):
    dimensions()
    browser_login(page, peer)
    page.get_by_role("link", name="Participants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participants")
    check(page, "caseload", assert_accessible, assert_fits_phone)

    page.get_by_role("link", name="Enrol a participant").click()
    check(page, "intake", assert_accessible, assert_fits_phone)
    field(page, "Name").fill("Dana Q. Example")
    field(page, "Preferred name").fill("Dee")
    field(page, "Date of birth").fill("1988-07-21")
    field(page, "Phone").fill("540-555-0101")
    field(page, "Referral source").select_option("treatment")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dee (Dana Q. Example)")
    check(page, "participant page", assert_accessible, assert_fits_phone)

    page.get_by_role("link", name="Write a recovery plan").click()
    check(page, "new plan", assert_accessible, assert_fits_phone)
    field(page, "Review date").fill(days(90).isoformat())
    field(page, "Date the participant agreed").fill(days(0).isoformat())
    field(page, "Strengths").fill("Keeps showing up.")
    page.get_by_role("button", name="Create the plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery plan")

    for text, dimension in GOALS:
        page.get_by_role("link", name="Add a goal").click()
        field(page, "Goal, in the participant's own words").fill(text)
        page.get_by_label(dimension).check()
        if text == GOALS[0][0]:
            check(page, "new goal", assert_accessible, assert_fits_phone)
        page.get_by_role("button", name="Add the goal").click()
        expect(page.get_by_text(text)).to_be_visible()
    check(page, "plan page", assert_accessible, assert_fits_phone)

    page.get_by_role("link", name=re.compile("Dee")).first.click()
    page.get_by_role("link", name="Record a consent").click()
    check(page, "new consent", assert_accessible, assert_fits_phone)
    field(page, "What information").fill("Attendance and recovery plan goals.")
    field(page, "Recipients").fill("Valley Community Health, Dr. Patel")
    field(page, "Purpose of the disclosure").fill("Coordinate care with my doctor.")
    field(page, "Told of the right to revoke and how").check()
    field(page, "Expiry date").fill(days(365).isoformat())
    page.get_by_role("button", name="Record the consent").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consent to disclose")
    check(page, "consent page", assert_accessible, assert_fits_phone)

    page.get_by_role("link", name=re.compile("Dee")).first.click()
    main = page.locator("main")
    for text, dimension in GOALS:
        expect(main.get_by_text(text)).to_be_visible()
        expect(main.get_by_text(dimension.split(" ")[0], exact=True)).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("Valley Community Health"))).to_be_visible()
    expect(main.get_by_text("Active", exact=True)).to_be_visible()
    check(page, "participant page with plan and consent", assert_accessible, assert_fits_phone)

    client = Client.objects.get(full_name="Dana Q. Example")
    assert client.primary_peer == peer
    goals = Goal.objects.filter(plan__client=client)
    assert goals.count() == 3
    assert {d.code for g in goals for d in g.dimensions.all()} == {"home", "physical", "spiritual"}


def test_rejected_intake_keeps_typed_text_and_is_accessible(page, live_server, peer, browser_login, assert_accessible):
    browser_login(page, peer)
    page.goto(f"{live_server.url}/clients/new/")
    field(page, "Name").fill("Future Person")
    field(page, "Date of birth").fill(days(5).isoformat())
    field(page, "Referral source").select_option("self")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("The date of birth cannot be in the future.")).to_have_count(2)  # summary, field
    expect(field(page, "Name")).to_have_value("Future Person")
    assert_accessible(page, "intake with errors")


def test_supervisor_caseload_and_duplicate_warning_are_accessible(page, live_server, supervisor, peer, program,
                                                                  browser_login, assert_accessible, assert_fits_phone):
    ClientFactory(program=program, primary_peer=peer, full_name="Jose Alvarez")
    ClientFactory(program=program, primary_peer=None, created_by=supervisor, full_name="Waiting Person")
    browser_login(page, supervisor)
    page.goto(f"{live_server.url}/clients/")
    expect(page.get_by_role("heading", name="Needs assignment")).to_be_visible()
    check(page, "supervisor caseload", assert_accessible, assert_fits_phone)
    page.goto(f"{live_server.url}/clients/new/")
    field(page, "Name").fill("José  Álvarez")
    field(page, "Date of birth").fill("1985-06-15")
    field(page, "Referral source").select_option("self")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", name="This may be someone already enrolled")).to_be_visible()
    check(page, "duplicate warning", assert_accessible, assert_fits_phone)


@pytest.fixture
def record(program, peer, uploads_dir):
    """A participant of ``peer`` with a plan (and an earlier version), goal, step, progress and a scanned consent."""
    client = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record", preferred_name="Rob",
                           email="robin.record.with.a.long.address@example.org", address="12 Main St\nApt 4")
    plan = RecoveryPlanFactory(client=client)
    goal = GoalFactory(plan=plan, dimension_codes=["home", "financial"])
    ActionStepFactory(goal=goal, who="other", who_detail="Case manager")
    GoalProgress.objects.create(goal=goal, noted_on=days(-1), text="Saved $40.", author=peer)
    consent = ConsentFactory(client=client, expires_on=days(20))
    consent.scan.save("scan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    ConsentFactory(client=client, revoked_on=days(0), revocation_method="writing", revoked_by=peer)
    current = services.plan_revise(plan=plan, by=peer, today=days(0))
    return {"client": client, "old_plan": plan, "plan": current, "goal": current.goals.get(),
            "step": current.goals.get().steps.get(), "consent": consent}


@pytest.fixture
def uploads_dir(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


PEER_PAGES = [
    ("detail", "client"), ("edit", "client"), ("discharge", "client"), ("consent_new", "client"),
    ("plan_detail", "plan"), ("plan_detail", "old_plan"), ("plan_edit", "plan"), ("goal_new", "plan"),
    ("goal_edit", "goal"), ("step_new", "goal"), ("progress_new", "goal"), ("step_edit", "step"),
    ("consent_detail", "consent"), ("consent_revoke", "consent"),
]


def test_every_page_of_a_record_is_accessible_and_fits_a_phone(page, live_server, peer, supervisor, record,
                                                               browser_login, assert_accessible, assert_fits_phone):
    browser_login(page, peer)
    for name, target in PEER_PAGES:
        page.goto(live_server.url + reverse(f"clients:{name}", args=[record[target].uuid]))
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check(page, f"{name} ({target})", assert_accessible, assert_fits_phone)
    page.goto(live_server.url + reverse("clients:consent_new", args=[record["client"].uuid]))
    page.get_by_role("button", name="Record the consent").click()  # empty: every error at its field
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check(page, "consent form with errors", assert_accessible, assert_fits_phone)
    services.episode_discharge(client=record["client"], by=peer, discharged_on=days(0), reason="moved")
    page.goto(live_server.url + reverse("clients:reenrol", args=[record["client"].uuid]))
    check(page, "re-enrol", assert_accessible, assert_fits_phone)
    page.context.clear_cookies()
    browser_login(page, supervisor)
    page.goto(live_server.url + reverse("clients:assign", args=[record["client"].uuid]))
    check(page, "assign", assert_accessible, assert_fits_phone)
    page.goto(live_server.url + reverse("clients:detail", args=[record["client"].uuid]))
    check(page, "participant page as supervisor", assert_accessible, assert_fits_phone)

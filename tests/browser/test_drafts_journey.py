"""Text kept across the idle time-out belongs to the user who typed it (a shortened time-out, the browser's
and the server's clocks moved forward together).

A peer types a note and is signed out by the time-out; whoever logs in next on the same tab (a peer of the
same program, or of another) gets an empty form and cannot read the text from the tab's storage; the first
peer gets it back at their next login, with the participant's goals and follow-ups loaded for the restored
participant; logging out deletes it from the tab."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import SessionNote
from recovery.models import Membership
from recovery.sessions import draft_keys
from tests.browser.conftest import session_length
from tests.factories import (
    PASSWORD,
    ClientFactory,
    FollowUpFactory,
    GoalFactory,
    RecoveryPlanFactory,
    make_staff,
    service_code,
    support_services,
)

TYPED = "Talked through the relapse last weekend; wants to call the housing office together."
GOAL = "Find a place of my own."
NOTE_FORM = "/clients/notes/new/"
RESTORED = "What you typed before you were signed out"
STORAGE = "[sessionStorage, localStorage].flatMap(s => Object.keys(s).map(k => [k, s.getItem(k)]))"


def field(page, label: str):
    """The input labelled ``label`` (crispy marks required fields with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


@pytest.fixture
def robin(program, peer):
    service_code()  # the data migration's rows: a browser test's database was flushed
    support_services()
    program.idle_timeout_minutes = 2
    program.save()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    GoalFactory(plan=RecoveryPlanFactory(client=robin), text=GOAL)
    FollowUpFactory(client=robin, purpose="Bring the lease papers.")
    return robin


def stored(page) -> list[list[str]]:
    return page.evaluate(STORAGE)


def wait_until_kept(page) -> None:
    # A Python loop: wait_for_function evaluates its string with eval, which the CSP forbids.
    for _ in range(50):
        if any(key.startswith("lantern.") for key, _ in stored(page)):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the typed text was not kept in the tab")


def type_a_note(page, live_server, browser_login, user) -> None:
    page.clock.install()
    browser_login(page, user)
    page.goto(f"{live_server.url}{NOTE_FORM}")
    field(page, "Participant").select_option(label="Robin Record")
    expect(page.get_by_label(GOAL)).to_be_visible()  # loaded by htmx for the chosen participant
    page.get_by_label(GOAL).check()
    page.get_by_label(re.compile("Bring the lease papers")).check()
    field(page, "What happened").fill(TYPED)
    wait_until_kept(page)


def time_out(page) -> None:
    """Inside a time_machine travel past the 2 minutes: the page's timer asks, and is signed out."""
    page.clock.fast_forward(121_000)
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_text("signed out after 2 minutes without activity")).to_be_visible()


def log_in_here(page, user) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page) -> None:
    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def assert_restored(page, robin) -> None:
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_be_visible()
    expect(field(page, "Participant")).to_have_value(str(robin.uuid))
    expect(field(page, "What happened")).to_have_value(TYPED)
    # The goals and follow-ups of the restored participant load, with the boxes ticked as they were.
    expect(page.get_by_label(GOAL)).to_be_checked()
    expect(page.get_by_label(re.compile("Bring the lease papers"))).to_be_checked()


@pytest.fixture(params=["same program", "other program"])
def next_user(request, program, other_program, supervisor):
    if request.param == "same program":
        return make_staff(program, Membership.Role.PEER, supervisor=supervisor, full_name="Olive Otherpeer",
                          email="olive@example.org")
    return make_staff(other_program, Membership.Role.PEER, full_name="Ezra Elsewhere", email="ezra@example.org")


def test_the_next_user_on_the_tab_gets_an_empty_form_and_the_typist_gets_the_text_back(
        page, live_server, program, peer, robin, next_user, browser_login, assert_accessible):
    type_a_note(page, live_server, browser_login, peer)
    with time_machine.travel(timezone.now() + timedelta(seconds=121), tick=True):
        time_out(page)
        assert TYPED not in page.content()  # the login page restores nothing
        assert_accessible(page, "login after the time-out")

        log_in_here(page, next_user)
        page.wait_for_url(f"{live_server.url}{NOTE_FORM}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
        expect(field(page, "What happened")).to_have_value("")
        expect(field(page, "Participant")).to_have_value("")
        expect(page.get_by_role("status").filter(has_text=RESTORED)).to_have_count(0)
        page.wait_for_timeout(500)  # anything restored would be in by now
        assert TYPED not in page.content()
        # The text is still in the tab, sealed: unreadable, and the next user's pages never carry its key.
        assert any(key.startswith("lantern.sealed:") for key, _ in stored(page))
        assert not any(TYPED in value or "Robin" in value for _, value in stored(page))
        served = page.request.get(f"{live_server.url}{NOTE_FORM}").text()
        assert draft_keys(next_user, next_user.active_memberships[0].program_id)["draft_key"] in served
        assert draft_keys(peer, program.pk)["draft_key"] not in served
        assert draft_keys(peer, program.pk)["draft_owner"] not in served
        assert_accessible(page, "the next user's note form")
        # Back through the tab's history to the first peer's page: not their typed text either.
        page.go_back()
        page.go_back()
        page.wait_for_url(f"{live_server.url}{NOTE_FORM}")
        page.wait_for_timeout(500)
        assert TYPED not in page.content()
        expect(field(page, "What happened")).to_have_value("")
        log_out(page)

        browser_login(page, peer)
        page.goto(f"{live_server.url}{NOTE_FORM}")
        assert_restored(page, robin)
        assert_accessible(page, "the note form with the text back")
        wait_until_kept(page)  # kept again, as typing would

        log_out(page)
        assert not any(key.startswith("lantern.") for key, _ in stored(page))
        assert not any(TYPED in value for _, value in stored(page))

        browser_login(page, peer)
        page.goto(f"{live_server.url}{NOTE_FORM}")
        page.wait_for_timeout(500)
        expect(field(page, "What happened")).to_have_value("")
        assert TYPED not in page.content()


def test_after_the_time_out_the_restored_participant_brings_back_goals_and_follow_ups(
        page, live_server, program, peer, robin, browser_login, assert_accessible):
    type_a_note(page, live_server, browser_login, peer)
    with time_machine.travel(timezone.now() + timedelta(seconds=121), tick=True):
        time_out(page)
        log_in_here(page, peer)
        page.wait_for_url(f"{live_server.url}{NOTE_FORM}")
        assert_restored(page, robin)
        assert_accessible(page, "the note form with the text back")

        # Saved as it was typed: the goal and the follow-up go with the note.
        session_length(page, "30")
        page.get_by_role("button", name="Save as a draft").click()
        expect(page.get_by_role("heading", name="Draft: not signed yet")).to_be_visible()
    note = SessionNote.objects.get(client=robin)
    assert note.summary == TYPED
    assert [goal.text for goal in note.goals.all()] == [GOAL]


def test_logging_out_deletes_the_typed_text_from_the_tab(page, live_server, peer, robin, browser_login):
    type_a_note(page, live_server, browser_login, peer)
    log_out(page)
    assert not any(key.startswith("lantern.") for key, _ in stored(page))
    assert not any(TYPED in value for _, value in stored(page))

    browser_login(page, peer)
    page.goto(f"{live_server.url}{NOTE_FORM}")
    page.wait_for_timeout(500)  # anything restored would be in by now
    expect(field(page, "What happened")).to_have_value("")
    assert TYPED not in page.content()

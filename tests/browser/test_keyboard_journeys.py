"""Issue 21, point 4: the five main journeys done with the keyboard alone, and reflow.

Log and sign a note, intake with consent and plan, review a note, log supervision, renew a credential: after
signing in, every step is Tab / Shift+Tab to a control, then typing, Space, Enter or the arrow keys, never a
click, so each control is reachable in the tab order and works from the keyboard. A rejected submit moves
the focus to the error summary. The note form and the caseload keep all their content at 320 px wide and
with the text at 200 % (WCAG 1.4.4 and 1.4.10).
"""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Client, Consent, Goal, SessionNote
from supervision.models import NoteReview, SupervisionSession
from supervision.reviews import note_review_enqueue
from tests.browser.test_notes_journey import field
from tests.factories import (
    RPRS,
    ClientFactory,
    CredentialFactory,
    GoalFactory,
    RecoveryPlanFactory,
    SessionNoteFactory,
    default_type,
    dimensions,
    service_code,
    support_services,
    topics,
)

TAB_LIMIT = 150  # presses before a control counts as unreachable


def tab_to(page, target, *, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until ``target`` has the focus; fail if it never does."""
    target.wait_for()
    handle = target.element_handle()
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if handle.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with {'Shift+Tab' if back else 'Tab'}")


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def type_date(page, target, day: datetime.date) -> None:
    """A date input takes month, day and year typed in turn (Chromium's en-US segments)."""
    type_into(page, target, day.strftime("%m%d%Y"))


def press_on(page, target, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def test_peer_logs_and_signs_a_note_by_keyboard_and_a_rejected_submit_focuses_the_error_summary(
        page, live_server, program, peer, browser_login, assert_accessible):
    service_code()
    support_services()
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    GoalFactory(plan=RecoveryPlanFactory(client=robin), text="Find a place of my own.")
    browser_login(page, peer)

    press_on(page, page.get_by_role("main").get_by_role("link", name="Log a session", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    type_into(page, field(page, "Participant"), "Robin Record")
    press_on(page, page.get_by_label("Find a place of my own."), "Space")  # loaded by htmx for Robin
    type_into(page, field(page, "What happened"), "Went through the housing application together.")
    press_on(page, page.get_by_role("button", name="Save and sign"))

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert_accessible(page, "rejected note form")
    expect(field(page, "What happened")).to_have_value("Went through the housing application together.")
    page.keyboard.press("Tab")  # the summary's first link
    page.keyboard.press("Enter")
    first_error = summary.get_by_role("link").first.get_attribute("href").removeprefix("#")
    expect(page.locator(f"#{first_error}")).to_be_focused()

    type_into(page, page.locator("#id_start_time"), "1000AM")
    type_into(page, page.locator("#id_end_time"), "1045AM")
    press_on(page, page.get_by_label("Advocacy"), "Space")
    type_into(page, field(page, "The participant's response"), "Relieved to have it started.")
    tab_to(page, page.get_by_role("button", name="Save and sign"))
    tab_to(page, field(page, "The participant's response"), back=True)
    press_on(page, page.get_by_role("button", name="Save and sign"))
    expect(page.get_by_text(re.compile(r"Note signed"))).to_be_visible()
    note = SessionNote.objects.get(client=robin)
    assert note.is_signed and note.duration_minutes == 45
    assert [g.text for g in note.goals.all()] == ["Find a place of my own."]


def test_peer_enrols_a_participant_writes_a_plan_and_records_a_consent_by_keyboard(
        page, live_server, program, peer, browser_login):
    dimensions()
    today = program.today()
    browser_login(page, peer)
    press_on(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Participants"))
    press_on(page, page.get_by_role("link", name="Enrol a participant"))
    type_into(page, field(page, "Name"), "Dana Q. Example")
    type_into(page, field(page, "Preferred name"), "Dee")
    type_date(page, field(page, "Date of birth"), datetime.date(1988, 7, 21))
    type_into(page, field(page, "Referral source"), "Treatment")
    press_on(page, page.get_by_role("button", name="Enrol"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dee (Dana Q. Example)")

    press_on(page, page.get_by_role("link", name="Write a recovery plan"))
    type_date(page, field(page, "Review date"), today + datetime.timedelta(days=90))
    type_date(page, field(page, "Date the participant agreed"), today)
    type_into(page, field(page, "Strengths"), "Keeps showing up.")
    press_on(page, page.get_by_role("button", name="Create the plan"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery plan")
    press_on(page, page.get_by_role("link", name="Add a goal"))
    type_into(page, field(page, "Goal, in the participant's own words"), "A place of my own.")
    press_on(page, page.get_by_label("Home (recovery)"), "Space")
    press_on(page, page.get_by_role("button", name="Add the goal"))
    expect(page.get_by_text("A place of my own.")).to_be_visible()

    press_on(page, page.get_by_role("main").get_by_role("link", name=re.compile("Dee")).first)
    press_on(page, page.get_by_role("link", name="Record a consent"))
    type_into(page, field(page, "What information"), "Attendance and recovery plan goals.")
    type_into(page, field(page, "Recipients"), "Valley Community Health")
    type_into(page, field(page, "Purpose of the disclosure"), "Coordinate care with my doctor.")
    press_on(page, field(page, "Told of the right to revoke and how"), "Space")
    type_date(page, field(page, "Expiry date"), today + datetime.timedelta(days=365))
    press_on(page, page.get_by_role("button", name="Record the consent"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consent to disclose")

    client = Client.objects.get(full_name="Dana Q. Example")
    assert client.primary_peer == peer and client.episodes.get().referral_source == "treatment"
    assert Goal.objects.get(plan__client=client).dimensions.get().code == "home"
    assert Consent.objects.get(client=client).expires_on == today + datetime.timedelta(days=365)


def test_supervisor_reviews_a_note_by_keyboard(page, live_server, program, supervisor, peer, browser_login):
    review = note_review_enqueue(note=SessionNoteFactory(client=ClientFactory(program=program, primary_peer=peer),
                                                         signed=True))
    browser_login(page, supervisor)
    page.goto(f"{live_server.url}{reverse('supervision:review_queue')}")
    press_on(page, page.locator("#pending a").first)
    page.wait_for_url(f"**{review.get_absolute_url()}")
    press_on(page, page.get_by_role("button", name="Approve the note"))
    expect(page.get_by_text(re.compile("approved", re.IGNORECASE)).first).to_be_visible()
    assert NoteReview.objects.get(pk=review.pk).status == "approved"


def test_supervisor_logs_and_signs_a_supervision_session_by_keyboard(page, live_server, program, supervisor, peer,
                                                                     other_peer, browser_login):
    topics()
    browser_login(page, supervisor)
    page.goto(f"{live_server.url}{reverse('supervision:session_new')}")
    tab_to(page, page.get_by_role("radio", name="Individual"))
    page.keyboard.press("ArrowDown")  # the arrow keys move within a radio group
    expect(page.get_by_role("radio", name="Group")).to_be_checked()
    press_on(page, page.get_by_label("Pat Peer"), "Space")
    press_on(page, page.get_by_label("Olive Otherpeer"), "Space")
    press_on(page, page.get_by_label("Ethics and boundaries"), "Space")
    tab_to(page, field(page, "Duration (minutes)"))
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("90")
    type_into(page, field(page, "Discussion notes"), "Boundaries when a participant asks for a ride.")
    press_on(page, page.get_by_role("button", name="Save as draft"))
    expect(page.get_by_role("button", name="Sign the session")).to_be_visible()
    session = SupervisionSession.objects.get()
    page.wait_for_url(f"**{session.get_absolute_url()}")
    press_on(page, page.get_by_role("button", name="Sign the session"))
    expect(page.get_by_text("Session signed.")).to_be_visible()
    session.refresh_from_db()
    assert session.kind == "group" and session.duration_minutes == 90 and session.signed_at is not None
    assert session.supervisees.count() == 2


def test_admin_renews_a_credential_by_keyboard(page, live_server, program, admin, peer, browser_login):
    today = program.today()
    credential = CredentialFactory(membership=peer.memberships.get(), type=default_type(RPRS), today=today,
                                   expires_in=12)
    browser_login(page, admin)
    page.goto(f"{live_server.url}{reverse('peers:staff_detail', args=[peer.uuid])}")
    press_on(page, page.get_by_role("link", name=f"Edit {credential.type.name}"))
    renewed, expires = today, today.replace(year=today.year + 2)
    type_date(page, field(page, "Issued on"), renewed)
    type_date(page, field(page, "Expires on"), renewed - datetime.timedelta(days=1))
    press_on(page, page.get_by_role("button", name="Save"))
    expect(page.locator("[data-error-summary]")).to_be_focused()  # expiry before the issue date
    type_date(page, field(page, "Expires on"), expires)
    press_on(page, page.get_by_role("button", name="Save"))
    page.wait_for_url(re.compile(re.escape(reverse("peers:staff_detail", args=[peer.uuid]))))
    credential.refresh_from_db()
    assert (credential.issued_on, credential.expires_on) == (renewed, expires)


NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
REFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const lost = [];
  const shown = 'body :is(input, select, textarea, button, label, a, td, th, h1, h2, p)';
  for (const el of document.querySelectorAll(shown)) {
    const box = el.getBoundingClientRect();
    const hidden = getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden, .table-cards > thead');
    if (!box.width || hidden) continue;
    if (box.left < -1 || box.right > width + 1) lost.push(el.outerHTML.slice(0, 80));
  }
  return {overflow: document.documentElement.scrollWidth - width, lost};
}"""


def test_the_note_form_and_the_caseload_reflow_at_320px_and_at_200_percent_text(
        page, live_server, program, peer, browser_login):
    service_code()
    support_services()
    for n in range(12):
        client = ClientFactory(program=program, primary_peer=peer, full_name=f"Participant Longername{n:02d}")
    GoalFactory(plan=RecoveryPlanFactory(client=client), text="Find a place of my own, near my daughter's school.")
    browser_login(page, peer)
    for path in (reverse("clients:note_new", args=[client.uuid]), reverse("clients:caseload")):
        for viewport, text_size in (({"width": 320, "height": 640}, "100%"), ({"width": 1280, "height": 720}, "200%")):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}{path}")
            page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
            page.evaluate(NEXT_FRAMES)  # the tables re-decide their layout on the change of size
            found = page.evaluate(REFLOW)
            assert found == {"overflow": 0, "lost": []}, f"{path} at {viewport['width']}px, text {text_size}: {found}"
            if path == reverse("clients:caseload"):  # each row a card, each cell labelled by its column
                flags = page.locator("#main td[data-label='Flags']").first
                expect(flags).to_be_visible()
                assert "Flags" in flags.evaluate("cell => getComputedStyle(cell, '::before').content")

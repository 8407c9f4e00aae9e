"""The browser's own print of a participant's pages and of the printable documents: the document only (no
navigation, banner, buttons or forms), readable at A4 and Letter width, goals not split across pages."""

from __future__ import annotations

import struct

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    GoalFactory,
    NoteAddendumFactory,
    RecoveryPlanFactory,
    SessionNoteFactory,
)

A4 = {"width": 794, "height": 1123}  # 210 by 297 mm at 96 px per inch
LETTER = {"width": 816, "height": 1056}


@pytest.mark.parametrize("paper", [A4, LETTER], ids=["a4", "letter"])
def test_printing_the_participant_page_shows_the_record_without_navigation_or_buttons(
        page, live_server, program, peer, browser_login, paper):
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Printed")
    plan = RecoveryPlanFactory(client=robin)
    GoalFactory(plan=plan, text="Find stable housing before winter")
    browser_login(page, peer)
    page.set_viewport_size(paper)
    page.goto(live_server.url + reverse("clients:detail", args=[robin.uuid]))
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    assert "Robin Printed" in page.inner_text("main")
    for hidden in ("header.site-header", "nav", "footer", "main .btn", "main form"):
        visible = page.locator(hidden).evaluate_all("els => els.filter(e => e.offsetParent !== null).length")
        assert visible == 0, f"{hidden} is printed"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map(e => e.tagName + '.' + e.className).slice(0, 8)""")
    assert overflow <= 0, wide
    page.emulate_media(media="screen")
    expect(page.locator("nav").first).to_be_visible()


@pytest.mark.parametrize("paper", [A4, LETTER], ids=["a4", "letter"])
def test_printing_the_plan_document_leaves_only_the_document_and_keeps_goals_whole(
        page, live_server, program, peer, browser_login, paper, tmp_path):
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Printed")
    plan = RecoveryPlanFactory(client=robin, backup_plan="Call Sam, then the warm line.")
    for n in range(8):
        GoalFactory(plan=plan, text=f"Goal in my own words number {n} " + "and why it matters to me " * 12)
    browser_login(page, peer)
    page.set_viewport_size(paper)
    page.goto(live_server.url + reverse("clients:plan_print", args=[plan.uuid]))
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    document = page.locator("article.document")
    assert "Goal in my own words number 7" in document.inner_text() and "Call Sam" in document.inner_text()
    for hidden in ("header.site-header", "nav", "footer", "main .btn", "main button", ".no-print"):
        visible = page.locator(hidden).evaluate_all("els => els.filter(e => e.offsetParent !== null).length")
        assert visible == 0, f"{hidden} is printed"
    breaks = page.locator(".document .goal").evaluate_all("els => els.map(e => getComputedStyle(e).breakInside)")
    assert breaks and set(breaks) == {"avoid"}
    shot = tmp_path / "plan.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])
    assert width == paper["width"] and height > paper["height"]  # the page's width; the document runs onto page 2
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_the_printable_documents_pass_axe_and_fit_a_phone(
        page, live_server, program, peer, browser_login, assert_accessible, assert_fits_phone):
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Printed")
    plan = RecoveryPlanFactory(client=robin)
    GoalFactory(plan=plan, text="Find stable housing before winter")
    note = SessionNoteFactory(client=robin, signed=True)
    NoteAddendumFactory(note=note)
    consent = ConsentFactory(client=robin)
    browser_login(page, peer)
    page.set_viewport_size(PHONE)
    for name, key in [("record_print", robin.uuid), ("plan_print", plan.uuid), ("note_print", note.uuid),
                      ("consent_print", consent.uuid)]:
        page.goto(live_server.url + reverse(f"clients:{name}", args=[key]))
        expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
        assert_fits_phone(page)
        assert_accessible(page, name)

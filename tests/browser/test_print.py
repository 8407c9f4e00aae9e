"""The browser's own print of a participant's pages: the document only (no navigation, banner, buttons or
forms), readable at A4 and Letter width."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ClientFactory, GoalFactory, RecoveryPlanFactory

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
    assert page.get_by_role("heading", level=1).first.is_visible()
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
    assert page.locator("nav").first.is_visible()

"""Issue 19, point 2: on a phone, the participant signs their plan with a finger (here: the mouse) and the
peer signs after them; the printable plan shows both signatures. The pages pass axe-core at 360 px."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Signature
from clients.signing import content_hash
from tests.browser.conftest import PHONE
from tests.factories import ClientFactory, GoalFactory, RecoveryPlanFactory


def draw(page) -> None:
    """A signature-like stroke across the pad, with the mouse."""
    pad = page.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(x + step * 10, y + (15 if step % 2 else -15), steps=3)
    page.mouse.up()


def test_the_participant_and_the_peer_sign_the_plan_on_a_phone(
        page, live_server, program, peer, browser_login, assert_accessible, assert_fits_phone):
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Signer")
    plan = RecoveryPlanFactory(client=robin)
    GoalFactory(plan=plan, text="Sleep through the night")
    browser_login(page, peer)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("clients:plan_detail", args=[plan.uuid]))
    page.get_by_role("link", name="Sign the plan").click()
    expect(page.get_by_role("heading", name="Sign on this screen")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page, "signing page at 360 px")

    page.get_by_role("button", name="Sign", exact=True).click()  # an empty box is refused at the field
    expect(page.locator("#error-summary")).to_contain_text("Sign in the box")
    draw(page)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("Signature of Robin Signer (participant) recorded")).to_be_visible()

    page.get_by_role("link", name="Sign", exact=True).click()
    on_screen = page.get_by_role("region", name="Sign on this screen")
    on_screen.get_by_label("Peer specialist").check()
    expect(on_screen.get_by_label("Name of the person signing")).to_have_value(peer.full_name)
    draw(page)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text(f"Signature of {peer.full_name} (peer specialist) recorded")).to_be_visible()

    assert sorted(Signature.objects.filter(plan=plan).values_list("role", flat=True)) == ["participant", "peer"]
    assert {s.content_sha256 for s in Signature.objects.all()} == {content_hash(plan)}
    images = page.locator(".document .signature img")
    expect(images).to_have_count(2)
    assert all(images.nth(n).evaluate("img => img.naturalWidth > 0") for n in range(2))
    assert_fits_phone(page)
    assert_accessible(page, "printable plan with signatures at 360 px")

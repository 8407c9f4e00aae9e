"""Done when 6: a supervisor goes from the caseload review dashboard to an unsigned note and back; then
records, signs and reviews. Every page passes axe-core, also at 360 px wide."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import SessionNote
from supervision.models import NoteReview, SupervisionSession
from supervision.reviews import note_review_enqueue
from tests.factories import ClientFactory, SessionNoteFactory, topics


def check(page, where, assert_accessible, assert_fits_phone):
    assert_accessible(page, where)
    desktop = page.viewport_size
    assert_fits_phone(page)
    assert_accessible(page, f"{where} at 360px")
    page.set_viewport_size(desktop)


def field(page, label: str):
    """The input labelled ``label`` (crispy marks required fields with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_supervisor_goes_from_the_dashboard_to_an_unsigned_note_and_back(
        page, live_server, program, supervisor, peer, other_peer, browser_login, assert_accessible,
        assert_fits_phone):
    participant = ClientFactory(program=program, primary_peer=peer, full_name="Jo Example")
    draft = SessionNoteFactory(client=participant, summary="Talked about the job interview on Monday.")
    SessionNote.objects.filter(pk=draft.pk).update(ended_at=timezone.now() - datetime.timedelta(hours=60))

    browser_login(page, supervisor)
    page.get_by_role("link", name="Supervision", exact=True).click()
    page.wait_for_url(f"{live_server.url}{reverse('supervision:dashboard')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload review")
    check(page, "dashboard", assert_accessible, assert_fits_phone)

    late = page.locator(f'tr[data-supervisee="{peer.uuid}"] a[data-metric="late-drafts"]')
    expect(late).to_contain_text("1")
    late.click()
    page.wait_for_url(f"**{reverse('supervision:metric', args=[peer.uuid, 'late-drafts'])}")
    expect(page.locator("#metric-count")).to_contain_text("1 in all")
    check(page, "drafts past the deadline", assert_accessible, assert_fits_phone)

    page.locator("#metric-items a").first.click()
    page.wait_for_url(f"**{draft.get_absolute_url()}")
    expect(page.get_by_text("Talked about the job interview on Monday.")).to_be_visible()
    check(page, "the unsigned note", assert_accessible, assert_fits_phone)

    page.go_back()
    page.wait_for_url(f"**{reverse('supervision:metric', args=[peer.uuid, 'late-drafts'])}")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Caseload review").click()
    page.wait_for_url(f"{live_server.url}{reverse('supervision:dashboard')}")
    expect(page.locator(f'tr[data-supervisee="{peer.uuid}"]')).to_be_visible()


def test_supervisor_records_and_signs_a_group_session_then_reviews_a_note(
        page, live_server, program, supervisor, peer, other_peer, browser_login, assert_accessible,
        assert_fits_phone):
    topics()
    participant = ClientFactory(program=program, primary_peer=peer, full_name="Jo Example")
    review = note_review_enqueue(note=SessionNoteFactory(client=participant, signed=True))
    browser_login(page, supervisor)
    page.goto(f"{live_server.url}{reverse('supervision:session_new')}")
    check(page, "new session", assert_accessible, assert_fits_phone)
    page.get_by_label("Group").check()
    page.get_by_label("Pat Peer", exact=True).check()
    page.get_by_label("Olive Otherpeer", exact=True).check()
    page.get_by_label("Ethics and boundaries").check()
    field(page, "Duration (minutes)").fill("90")
    field(page, "Discussion notes").fill("Boundaries when a participant asks for a ride.")
    page.get_by_role("button", name="Save as draft").click()
    session = SupervisionSession.objects.get()
    page.wait_for_url(f"**{session.get_absolute_url()}")
    check(page, "draft session", assert_accessible, assert_fits_phone)

    page.get_by_role("link", name="Add an action item").click()
    check(page, "action item form", assert_accessible, assert_fits_phone)
    field(page, "What").fill("Read the transport policy")
    field(page, "Due by").fill((program.today() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add the action item").click()
    page.get_by_role("button", name="Sign the session").click()
    expect(page.get_by_text("Session signed.")).to_be_visible()
    check(page, "signed session", assert_accessible, assert_fits_phone)

    page.goto(f"{live_server.url}{reverse('supervision:review_queue')}")
    check(page, "review queue", assert_accessible, assert_fits_phone)
    page.locator("#pending a").first.click()
    page.wait_for_url(f"**{review.get_absolute_url()}")
    check(page, "review", assert_accessible, assert_fits_phone)
    field(page, "What should the addendum add or correct?").fill("Add the date of the next meeting.")
    page.get_by_role("button", name="Return for an addendum").click()
    page.wait_for_url(f"**{reverse('supervision:review_queue')}")
    assert NoteReview.objects.get(pk=review.pk).status == "returned"
    check(page, "review queue after returning", assert_accessible, assert_fits_phone)


def test_peer_acknowledges_a_session_from_their_log(page, live_server, program, supervisor, peer, browser_login,
                                                    assert_accessible, assert_fits_phone):
    from tests.factories import SupervisionSessionFactory, action_item, sign

    session = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    action_item(session, peer, description="Practise the safety-plan conversation")
    sign(session)
    browser_login(page, peer)
    page.get_by_role("link", name="Supervision", exact=True).click()
    page.wait_for_url(f"{live_server.url}{reverse('supervision:log')}")
    check(page, "my supervision", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name=re.compile("^Acknowledge")).click()
    expect(page.get_by_text("the session is acknowledged")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Mark done")).click()
    expect(page.get_by_text("Action item marked done.")).to_be_visible()
    check(page, "my supervision after acknowledging", assert_accessible, assert_fits_phone)


def test_every_supervision_page_passes_axe_and_fits_a_phone(page, live_server, program, supervisor, peer,
                                                           other_peer, browser_login, assert_accessible,
                                                           assert_fits_phone):
    from tests.factories import FollowUpFactory, SupervisionSessionFactory, action_item, sign

    participant = ClientFactory(program=program, primary_peer=peer, full_name="Jo Example")
    FollowUpFactory(client=participant, due_on=program.today() - datetime.timedelta(days=2), created_by=peer)
    signed = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer, other_peer],
                                       participants=[participant])
    action_item(signed, peer)
    sign(signed)
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer])
    urls = [
        reverse("supervision:supervisee", args=[peer.uuid]),
        reverse("supervision:metric", args=[peer.uuid, "active"]),
        reverse("supervision:metric", args=[peer.uuid, "overdue-followups"]),
        reverse("supervision:metric", args=[peer.uuid, "awaiting-review"]),
        reverse("supervision:session_list"),
        reverse("supervision:session_edit", args=[draft.uuid]),
        reverse("supervision:addendum_new", args=[signed.uuid]),
        reverse("supervision:log"),
        reverse("home"),
    ]
    browser_login(page, supervisor)
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check(page, url, assert_accessible, assert_fits_phone)

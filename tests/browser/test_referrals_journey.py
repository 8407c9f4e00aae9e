"""Resource navigation on a 360 px wide screen: from a session note a peer searches the directory, refers
the participant to a recovery residence with a warm hand-off, sees the follow-up on My day and completes it
as "connected". Every page passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from clients.models import FollowUp
from referrals.models import Referral
from tests.factories import ClientFactory, ResourceFactory, SessionNoteFactory, days

PHONE = {"width": 360, "height": 740}


def check(page, where, assert_accessible, assert_fits_phone):
    assert_fits_phone(page)
    assert_accessible(page, where)


def test_peer_refers_from_a_note_and_closes_the_loop_from_my_day(page, live_server, program, peer, browser_login,
                                                                 assert_accessible, assert_fits_phone):
    casey = ClientFactory(program=program, primary_peer=peer, full_name="Casey Referral")
    note = SessionNoteFactory(client=casey, session_date=days(0))
    ResourceFactory(program=program, organisation="Harbor House Recovery Residence",
                    service_name="Men's recovery residence", categories=["recovery-housing"])
    ResourceFactory(program=program, organisation="Valley Food Pantry", service_name="Groceries",
                    categories=["food"])
    page.set_viewport_size(PHONE)
    browser_login(page, peer)

    page.goto(f"{live_server.url}{note.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Referrals made in this contact")).to_be_visible()
    check(page, "note", assert_accessible, assert_fits_phone)
    page.get_by_role("link", name="Make a referral").click()

    expect(page.get_by_role("heading", name="Resource directory")).to_be_visible()
    page.get_by_label("Search", exact=True).fill("recovery résidence")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile("Valley Food Pantry"))).to_have_count(0)
    check(page, "directory search", assert_accessible, assert_fits_phone)
    page.get_by_role("link", name=re.compile("Refer to Harbor House Recovery Residence")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Make a referral")
    page.get_by_label("Warm hand-off in person").check()
    page.get_by_label(re.compile(r"^\s*What for")).fill("Needs a sober place to live after detox.")
    page.get_by_label(re.compile(r"^\s*Check back on")).fill(days(0).isoformat())  # due today: on My day
    check(page, "referral form", assert_accessible, assert_fits_phone)
    page.get_by_role("button", name="Make the referral").click()

    expect(page.get_by_text(re.compile("Referral to Harbor House Recovery Residence made"))).to_be_visible()
    check(page, "referral", assert_accessible, assert_fits_phone)
    referral = Referral.objects.get()
    assert referral.from_note == note and referral.method == Referral.Method.WARM_HANDOFF

    page.goto(f"{live_server.url}/")
    followup_link = page.get_by_role("link", name=re.compile("Check whether Casey Referral connected with Harbor"))
    expect(followup_link).to_be_visible()
    check(page, "My day", assert_accessible, assert_fits_phone)
    followup_link.click()

    expect(page.get_by_text("Record how it went")).to_be_visible()
    check(page, "follow-up", assert_accessible, assert_fits_phone)
    page.get_by_label("Connected").check()
    page.get_by_role("button", name="Save the referral's status").click()

    expect(page.get_by_text(re.compile("connected. Its follow-up is done"))).to_be_visible()
    check(page, "referral connected", assert_accessible, assert_fits_phone)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CONNECTED and referral.status_on == days(0)
    assert FollowUp.objects.get(pk=referral.followup_id).status == FollowUp.Status.DONE

"""Outcomes, on a 360 px wide screen: a peer runs a check-in from My day on one screen, then sees the
trend chart with its data table. Every page passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from outcomes.models import CheckIn
from tests.factories import ClientFactory, RecoveryPlanFactory, days
from tests.outcomes.conftest import record, shipped_scale

PHONE = {"width": 360, "height": 740}


def check(page, where, assert_accessible, assert_fits_phone):
    assert_fits_phone(page)
    assert_accessible(page, where)


def test_peer_runs_a_check_in_from_my_day_and_sees_the_trend(page, live_server, program, peer, browser_login,
                                                             assert_accessible, assert_fits_phone):
    scale = shipped_scale()  # the data migration's rows: a browser test's database was flushed
    casey = ClientFactory(program=program, primary_peer=peer, full_name="Casey Checkin")
    RecoveryPlanFactory(client=casey)
    record(casey, scale, days(-95), *([3] * 10))  # the next one is due: 90 days have passed
    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    expect(page.get_by_role("heading", name="Check-ins due")).to_be_visible()
    check(page, "My day", assert_accessible, assert_fits_phone)

    page.get_by_role("link", name="Check in with Casey Checkin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BARC-10 recovery capital check-in")
    check(page, "check-in form", assert_accessible, assert_fits_phone)
    for n, item in enumerate(scale.items):
        group = page.get_by_role("group", name=f"{item.position}. {item.text}")
        group.get_by_text("Agree" if n != 4 else "Disagree", exact=True).click()
    expect(page.get_by_text("All 10 items answered.")).to_be_visible()
    page.get_by_role("button", name="Save the check-in").click()

    expect(page.get_by_text(re.compile(r"Check-in saved: score 47"))).to_be_visible()
    check(page, "check-in", assert_accessible, assert_fits_phone)
    assert CheckIn.objects.filter(client=casey).count() == 2

    page.get_by_role("link", name=re.compile("Check-ins of Casey")).click()
    chart = page.get_by_role("img", name=re.compile("score over time"))
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name=re.compile("each check-in"))
    expect(table.get_by_role("cell", name=re.compile(r"^47"))).to_be_visible()
    expect(page.get_by_text("Support from others: disagrees")).to_be_visible()
    check(page, "trend", assert_accessible, assert_fits_phone)

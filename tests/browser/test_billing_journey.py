"""Issue 20, browser: at 360 px a peer sees the units left while writing a note; a billing clerk reviews a
month, sees one note held with its reason, marks the rest billed and downloads the claims. axe-clean."""

from __future__ import annotations

import csv
import datetime
import io
import re

from django.urls import reverse
from playwright.sync_api import expect

from billing.models import ClaimBatch
from recovery.models import Membership
from tests.billing.conftest import signed_note
from tests.browser.conftest import open_navigation
from tests.factories import (
    RPRS,
    AuthorizationFactory,
    ClientFactory,
    CoverageFactory,
    CredentialFactory,
    PayerFactory,
    days,
    default_type,
    make_staff,
    membership_of,
    service_code,
    support_services,
)

PHONE = {"width": 360, "height": 740}


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def check(page, where, assert_accessible, assert_fits_phone):
    assert_fits_phone(page)
    assert_accessible(page, where)


def test_units_left_while_writing_then_a_month_reviewed_billed_and_downloaded(
        page, live_server, program, peer, browser_login, assert_accessible, assert_fits_phone):
    service_code()  # a browser test's database was flushed: the data migration's rows again
    support_services()
    CredentialFactory(membership=membership_of(peer, program), type=default_type(RPRS), number="REG-7",
                      issued_on=days(-400), expires_on=days(400))
    clerk = make_staff(program, Membership.Role.BILLING, full_name="Bea Billing", email="bea@example.org")
    month_start = (days(0).replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    robin = ClientFactory(program=program, primary_peer=peer, full_name="Robin Record")
    uncovered = ClientFactory(program=program, primary_peer=peer, full_name="Uma Uncovered")
    medicaid = PayerFactory(program=program, name="Medicaid")
    CoverageFactory(client=robin, payer=medicaid, member_id="VA123456")
    authorization = AuthorizationFactory(client=robin, payer=medicaid, number="SA-96", units_authorized=96,
                                         starts_on=month_start, ends_on=days(30), recommended_on=month_start)
    for offset in range(1, 6):  # 5 notes of 16 units: 80 of 96 used
        signed_note(robin, month_start + datetime.timedelta(days=offset), 240)
    held = signed_note(uncovered, month_start + datetime.timedelta(days=6), 30)

    page.set_viewport_size(PHONE)
    browser_login(page, peer)
    page.goto(live_server.url + reverse("clients:note_new", args=[robin.uuid]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log a session")
    field(page, "Start time").fill("09:00")
    field(page, "End time").fill("11:30")  # 150 minutes: 10 units
    field(page, "End time").press("Tab")
    live = page.locator("#live-units")
    expect(live).to_contain_text("This note: 10 billable units")
    expect(live).to_contain_text(f"Authorization SA-96 (nearly used up): 6 of 96 units left, ends "
                                 f"{authorization.ends_on:%b %-d}.")
    check(page, "note form with live units", assert_accessible, assert_fits_phone)
    field(page, "End time").fill("13:00")  # 240 minutes: 16 units, all that is left
    field(page, "End time").press("Tab")
    expect(live).to_contain_text("This note: 16 billable units")
    expect(live).to_contain_text("Authorization SA-96 (used up): 0 of 96 units left")

    page.context.clear_cookies()
    browser_login(page, clerk)
    open_navigation(page)
    page.get_by_role("link", name="Billing").click()
    page.get_by_label("Month", exact=True).select_option(f"{month_start:%Y-%m}")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{month_start:%B %Y}")
    ready = page.locator("#ready-notes tbody tr")
    expect(ready).to_have_count(5)
    excluded = page.locator(f'#held-notes tr[data-note="{held.uuid}"]')
    expect(excluded).to_contain_text("Uma Uncovered")
    expect(excluded).to_contain_text("No coverage on the service date")
    check(page, "billing review", assert_accessible, assert_fits_phone)

    page.get_by_role("button", name="Mark 5 notes billed").click()
    expect(page.get_by_text("5 notes marked billed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claims of {month_start:%B %Y}")
    check(page, "billed batch", assert_accessible, assert_fits_phone)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert len(rows) == 6 and {row[2] for row in rows[1:]} == {"VA123456"}
    assert {row[11] for row in rows[1:]} == {"REG-7"}
    batch = ClaimBatch.objects.get()
    assert batch.billed_by == clerk and batch.lines.count() == 5

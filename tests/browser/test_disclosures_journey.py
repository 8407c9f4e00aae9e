"""Disclosures on a 360 px wide screen: from the participant's page a peer records a disclosure (the form first
says which consents cover it and why the others do not), reads it with its §2.32 notice, and downloads the
accounting of disclosures as a PDF. Every page passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from records.models import Disclosure
from recovery.models import AccessLog
from tests.factories import ClientFactory, ConsentFactory, days

PHONE = {"width": 360, "height": 740}


def check(page, where, assert_accessible, assert_fits_phone):
    assert_fits_phone(page)
    assert_accessible(page, where)


def test_peer_records_a_disclosure_and_downloads_the_accounting(page, live_server, program, peer, browser_login,
                                                               assert_accessible, assert_fits_phone):
    dana = ClientFactory(program=program, primary_peer=peer, full_name="Dana Disclosure")
    covering = ConsentFactory(client=dana, recipients="Valley Primary Care", information="Attendance, recovery plan")
    ConsentFactory(client=dana, recipients="Harbor House Recovery Residence", information="Attendance")
    page.set_viewport_size(PHONE)
    browser_login(page, peer)

    page.goto(f"{live_server.url}{dana.get_absolute_url()}")
    page.get_by_role("link", name="Record a disclosure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a disclosure")
    check(page, "disclosure form", assert_accessible, assert_fits_phone)
    page.get_by_label("To whom").fill("Valley Primary Care")
    page.get_by_label("What information").fill("attendance")
    page.get_by_role("combobox", name=re.compile(r"^How")).select_option("fax")
    page.get_by_role("button", name="Check consents").click()

    expect(page.get_by_text(re.compile("other recipient: it names Harbor House"))).to_be_visible()
    check(page, "consents sorted", assert_accessible, assert_fits_phone)
    page.get_by_label(re.compile(r"Signed .*to Valley Primary Care")).check()
    page.get_by_role("button", name="Record the disclosure").click()

    expect(page.get_by_text("Disclosure recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Notice to the recipient (42 CFR §2.32)")).to_be_visible()
    check(page, "disclosure", assert_accessible, assert_fits_phone)
    assert Disclosure.objects.get().consent == covering

    page.get_by_role("link", name="Accounting of disclosures").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accounting of disclosures")
    expect(page.get_by_role("cell", name="Valley Primary Care")).to_be_visible()
    check(page, "accounting", assert_accessible, assert_fits_phone)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename == f"accounting-of-disclosures-{days(0):%Y-%m-%d}.pdf"
    assert AccessLog.objects.filter(action="export", object_type="records.accounting.pdf", user=peer).count() == 1

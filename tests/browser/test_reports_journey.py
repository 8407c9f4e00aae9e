"""Reports, on a 360 px wide screen: a supervisor opens Reports, picks this quarter, drills into a number
(the list is as long as the number), and downloads the XLSX and the funder PDF, whose text carries the
headline numbers. Every page passes axe-core."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import open_navigation
from tests.factories import ClientFactory, SessionNoteFactory

PHONE = {"width": 360, "height": 740}


def check(page, where, assert_accessible, assert_fits_phone):
    assert_fits_phone(page)
    assert_accessible(page, where)


def test_supervisor_filters_a_quarter_drills_down_and_downloads(page, live_server, program, peer, supervisor,
                                                                 browser_login, assert_accessible,
                                                                 assert_fits_phone):
    today = program.today()
    for name in ("Riley Reported", "Sage Served"):
        client = ClientFactory(program=program, primary_peer=peer, full_name=name)
        SessionNoteFactory(client=client, session_date=today, signed=True)
    page.set_viewport_size(PHONE)
    browser_login(page, supervisor)
    open_navigation(page)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")

    page.get_by_label("Period", exact=True).select_option("this_quarter")
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_text(re.compile(r"· Q\d \d{4} \("))).to_be_visible()
    served = page.locator('a[data-measure="served"]')
    expect(served).to_have_text(re.compile(r"^2"))
    check(page, "report", assert_accessible, assert_fits_phone)

    served.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participants served (unduplicated)")
    expect(page.get_by_role("status")).to_contain_text("2 records")
    expect(page.get_by_role("link", name="Riley Reported")).to_be_visible()
    check(page, "drill-down", assert_accessible, assert_fits_phone)
    page.get_by_role("link", name="Back to the report").click()

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert ["Participants served (unduplicated)", None, "2"] in [
        [c.value for c in row][:3] for sheet in book for row in sheet.iter_rows()]

    with page.expect_download() as download:
        page.get_by_role("link", name="Funder summary (PDF)").click()
    text = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages[0].extract_text()
    assert re.search(r"Participants served \(unduplicated\)\s*2", text)
    assert re.search(r"Notes by type of contact\s*2", text)
    assert program.name in text

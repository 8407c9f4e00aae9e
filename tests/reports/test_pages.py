"""The report page, drill-downs and exports: every number equals the length of the list it links to
(every measure), scope by role, the same numbers in CSV, XLSX and PDF, the access log, and query budgets
that hold with many rows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from recovery.models import AccessLog
from reports.measures import MEASURES, MINUTES, UNITS, by_key
from tests.factories import bulk_clients, bulk_notes, days
from tests.reports.conftest import Q1
from tests.spanish import get_in_spanish

# The personas are built once for the module; each test reads them again (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("personas_once")

QUARTER = {"preset": "custom", "start": "2025-01-01", "end": "2025-03-31"}


@pytest.mark.parametrize("key", [m.key for m in MEASURES])
def test_every_number_equals_the_length_of_the_list_it_links_to(world, supervisor, admin, base_for, key):
    m = by_key()[key]
    for user in (supervisor, admin):
        base = base_for(user)
        number = m.value(base)
        listed = list(m.records(base))
        if m.kind == "count":
            assert number == len(listed)
        elif m.kind in (MINUTES, UNITS):
            assert number == sum(_field(row, m.field) for row in listed)
        else:
            assert number == m.value_of(listed) or float(number) == pytest.approx(float(m.value_of(listed)))
        for group, _label, n in m.breakdown(base):
            rows = list(m.records_in_group(base, group))
            if m.kind == "count":
                assert len({r.pk for r in rows}) == n
            else:
                assert sum(_field(r, m.field) for r in rows) == n


def _field(row, path):
    for part in path.split("__"):
        row = getattr(row, part)
    return row


def test_the_drilldown_page_lists_as_many_records_as_the_number_says(world, login, supervisor):
    http = login(supervisor)
    page = http.get(reverse("reports:report"), QUARTER).content.decode()
    shown = re.search(r'data-measure="served">(\d+)<', page).group(1)
    drill = http.get(reverse("reports:drilldown", kwargs={"measure": "served"}), QUARTER).content.decode()
    assert f'data-count="{shown}"' in drill and shown == "3"
    assert drill.count("/clients/") >= 3 and "E Example" not in drill


def test_each_role_sees_its_own_scope_on_the_page(world, login, peer, other_peer, admin):
    def served(user):
        page = login(user).get(reverse("reports:report"), QUARTER).content.decode()
        return re.search(r'data-measure="served">(\d+)<', page).group(1)
    assert served(peer) == "3"
    assert served(other_peer) == "0"
    assert served(admin) == "4"


def test_the_page_writes_one_access_log_row_and_rejects_bad_dates_at_the_field(world, login, supervisor):
    http = login(supervisor)
    before = AccessLog.objects.count()
    response = http.get(reverse("reports:report"), {"preset": "custom", "start": "2025-03-01", "end": "2025-01-01"})
    assert response.status_code == 200 and "cannot be before the first" in response.content.decode()
    assert AccessLog.objects.count() == before + 1


def test_a_peer_cannot_filter_by_someone_outside_their_scope(world, login, peer):
    response = login(peer).get(reverse("reports:report"), {**QUARTER, "peer": world["other_team_peer"].pk})
    assert "Select a valid choice" in response.content.decode()


def test_csv_and_xlsx_carry_the_same_numbers_and_are_logged_as_exports(world, login, supervisor):
    http = login(supervisor)
    response = http.get(reverse("reports:export", kwargs={"fmt": "csv"}), QUARTER)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    first = rows[rows.index(["Measure", "Breakdown", "Value", "Share", "What is counted"]) + 1]
    assert first[:4] == ["Participants served (unduplicated)", "", "3", ""]
    assert ["Units billable (after daily and yearly caps)", "", "24", ""] in [r[:4] for r in rows]
    book = load_workbook(io.BytesIO(http.get(reverse("reports:export", kwargs={"fmt": "xlsx"}), QUARTER).content))
    cells = [[c.value for c in row][:3] for sheet in book for row in sheet.iter_rows()]
    assert ["Participants served (unduplicated)", None, "3"] in cells
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_type="reports.export.xlsx").count() == 1
    assert http.get(reverse("reports:export", kwargs={"fmt": "doc"}), QUARTER).status_code == 404


def test_the_funder_pdf_holds_the_headline_numbers(world, login, supervisor):
    http = login(supervisor)
    response = http.get(reverse("reports:summary_pdf"), QUARTER)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Participants served (unduplicated)" in text and "Riverside Peer Recovery" in text
    assert re.search(r"Participants served \(unduplicated\)\s*3", text)
    assert re.search(r"Units billable \(after daily and yearly caps\)\s*24 units", text)


def test_an_unknown_measure_is_a_404(login, supervisor):
    assert login(supervisor).get(reverse("reports:drilldown", kwargs={"measure": "nope"})).status_code == 404


@pytest.mark.parametrize("name", ["reports:report", "reports:drilldown", "reports:export", "reports:summary_pdf"])
def test_query_budgets_hold_with_many_rows(program, peer, supervisor, login, frozen_time,
                                           django_assert_max_num_queries, django_assert_num_queries, name):
    kwargs = {"reports:drilldown": {"measure": "contacts"}, "reports:export": {"fmt": "xlsx"}}.get(name, {})
    url = reverse(name, kwargs=kwargs)
    http = login(supervisor)
    few = bulk_clients(program, peer, 2)
    bulk_notes(few[0], 3, start=days(-1))
    with django_assert_max_num_queries(50), CaptureQueriesContext(connection) as first:
        assert http.get(url).status_code == 200
    for client in bulk_clients(program, peer, 30, prefix="More"):
        bulk_notes(client, 20, start=days(-1))
    with django_assert_num_queries(len(first.captured_queries)):  # the same count with 15 times the rows
        assert http.get(url).status_code == 200


def test_the_quarter_period_is_the_calendar_quarter():
    assert (Q1.start.month, Q1.end.month) == (1, 3)


def test_the_engagement_chart_ends_with_the_engagement_measures_numbers(world, supervisor, base_for):
    from reports.report import engagement_trend, monthly

    base = base_for(supervisor)
    chart = engagement_trend(base)
    assert [r["label"] for r in chart["rows"]] == ["Jan 2025", "Feb 2025", "Mar 2025"]
    # Mar 31: A, B, C active; A contacted (Mar 31). Feb 28: B, C, D active (A was discharged Feb 1 and
    # came back Mar 1); B contacted (Feb 20), D's last contact was Jan 5.
    assert chart["rows"][-1]["cells"] == ["3", "1", "33.3%"]
    assert chart["rows"][1]["cells"] == ["3", "1", "33.3%"]
    measured = [str(by_key()[key].value(base)) for key in ("active", "engaged_30")]
    assert chart["rows"][-1]["cells"][:2] == measured
    # Jan: A (4 units), D (4); Feb: A (2), B (12 of 16); Mar: A on the 31st late in the evening (2), C (0).
    assert [r["cells"] for r in monthly(base)["rows"]] == [["2", "8"], ["2", "14"], ["2", "2"]]


def test_the_report_reads_in_spanish_measures_and_charts_included(world, login, supervisor):
    page = get_in_spanish(login(supervisor), reverse("reports:report")).content.decode()
    assert "<h1 class=\"h3 mb-1\">Informes</h1>" in page
    assert "Participantes atendidos (sin repetir)" in page and "Notas y unidades facturables por mes" in page
    assert "Participants served" not in page


def test_what_is_counted_reads_in_the_readers_language_on_the_page_drilldown_and_export(world, login, supervisor):
    assert by_key()["no_contact_45"].doc == ("Active participants with no signed contact note dated in the 45 days "
                                             "ending on the period's last day (or today).")
    http = login(supervisor)
    english = http.get(reverse("reports:report"), QUARTER).content.decode()
    assert "Participants with at least one signed contact note (individual, group, phone or telehealth;" in english
    page = get_in_spanish(http, f"{reverse('reports:report')}?preset=custom&start=2025-01-01&end=2025-03-31")
    page = page.content.decode()
    assert "Participantes con al menos una nota de contacto firmada (individual, grupal," in page
    assert "Participantes activos sin ninguna nota de contacto firmada con fecha en los 45 días" in page
    assert "Participants with at least one signed contact note" not in page
    drill = get_in_spanish(http, reverse("reports:drilldown", kwargs={"measure": "crisis"})).content.decode()
    assert "Notas firmadas con fecha en el período con la alerta de crisis marcada." in drill
    export = get_in_spanish(http, reverse("reports:export", kwargs={"fmt": "csv"})).content.decode()
    assert "Seguimientos que vencían en el período, sin contar los cancelados." in export

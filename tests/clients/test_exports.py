"""Taking records out: the caseload, a participant's notes, the follow-ups and the staff board as CSV and
XLSX, each holding exactly the rows its page shows, logged as an export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recovery.models import AccessLog
from tests.factories import ClientFactory, ConsentFactory, FollowUpFactory, SessionNoteFactory, bulk_notes


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_caseload_export_holds_what_the_page_shows_for_each_role(login, peer, supervisor, admin, mine, theirs,
                                                                 unassigned):
    url = reverse("clients:caseload_export", args=["csv"])
    assert {r[0] for r in csv_rows(login(peer).get(url))[1:]} == {"Mina Mine"}
    assert {r[0] for r in csv_rows(login(supervisor).get(url))[1:]} == {"Mina Mine", "Theo Theirs",
                                                                          "Una Unassigned"}
    response = login(admin).get(reverse("clients:caseload_export", args=["xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    assert rows[0][:3] == ["Name", "Preferred name", "Status"]
    assert {r[0] for r in rows[1:]} == {"Mina Mine", "Theo Theirs", "Una Unassigned"}


def test_caseload_export_follows_the_filters_on_screen_and_is_logged(login, peer, program):
    ConsentFactory(client=ClientFactory(program=program, primary_peer=peer, full_name="Carla Consent"))
    ClientFactory(program=program, primary_peer=peer, full_name="Nadia Noconsent")
    client = login(peer)
    before = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count()
    rows = csv_rows(client.get(reverse("clients:caseload_export", args=["csv"]), {"consent": "none"}))
    assert [r[0] for r in rows[1:]] == ["Nadia Noconsent"]
    # The search goes through the session token, as on the page: the name never enters the URL.
    results = client.post(reverse("clients:caseload"), {"q": "carla"}, follow=True)
    query = results.request["QUERY_STRING"]
    rows = csv_rows(client.get(reverse("clients:caseload_export", args=["csv"]) + "?" + query))
    assert [r[0] for r in rows[1:]] == ["Carla Consent"]
    log = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).order_by("pk")
    assert log.count() == before + 2
    assert all("carla" not in entry.path.lower() for entry in log)


def test_notes_export_is_metadata_for_peers_and_full_for_admins(login, peer, admin, mine):
    SessionNoteFactory(client=mine, summary="Talked about the housing application.", signed=True)
    url = reverse("clients:notes_export", args=[mine.uuid, "csv"])
    peer_rows = csv_rows(login(peer).get(url))
    assert "What happened" not in peer_rows[0] and len(peer_rows) == 2
    assert "housing" not in login(peer).get(url).content.decode()
    admin_rows = csv_rows(login(admin).get(url))
    assert "What happened" in admin_rows[0]
    assert admin_rows[1][admin_rows[0].index("What happened")] == "Talked about the housing application."
    entry = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).latest("pk")
    assert entry.client_uuid == mine.uuid and "full" in entry.reason


def test_notes_export_of_a_participant_out_of_scope_is_not_found(login, other_peer, mine):
    assert login(other_peer).get(reverse("clients:notes_export", args=[mine.uuid, "csv"])).status_code == 404


def test_followups_export_is_the_list_on_screen(login, peer, supervisor, mine, theirs):
    FollowUpFactory(client=mine, purpose="Call about housing")
    FollowUpFactory(client=theirs, purpose="Bus pass renewal")
    assert [r[2] for r in csv_rows(login(peer).get(reverse("clients:followups_export", args=["csv"])))[1:]] == [
        "Call about housing"]
    rows = xlsx_rows(login(supervisor).get(reverse("clients:followups_export", args=["xlsx"])))
    assert {r[2] for r in rows[1:]} == {"Call about housing", "Bus pass renewal"}


def test_a_formula_is_never_run_by_the_spreadsheet(login, peer, mine):
    FollowUpFactory(client=mine, purpose="=HYPERLINK(\"http://evil.example\")")
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(login(peer).get(reverse("clients:followups_export", args=[fmt])))
        assert rows[1][2].startswith("'=")


def test_staff_board_exports_as_excel_for_supervisors_and_admins_only(login, peer, supervisor, admin):
    url = reverse("peers:board_export_xlsx")
    assert login(peer).get(url).status_code == 403
    for user in (supervisor, admin):
        response = login(user).get(url)
        assert response.status_code == 200 and xlsx_rows(response)[0][0] == "Name"
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_type="peers.board").count() == 2


def test_an_unknown_format_is_not_found(login, peer):
    assert login(peer).get(reverse("clients:caseload_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_keep_their_query_budget_with_many_rows(login, admin, program, peer, mine, fmt,
                                                        django_assert_max_num_queries):
    for n in range(60):
        ClientFactory(program=program, primary_peer=peer, full_name=f"Many Rows {n}")
    bulk_notes(mine, 300)
    client = login(admin)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("clients:caseload_export", args=[fmt])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("clients:notes_export", args=[mine.uuid, fmt])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("clients:followups_export", args=[fmt])).status_code == 200

"""Bringing participants in from a spreadsheet: templates, a dry run that writes nothing and shows every
row with its outcome and reasons, all-or-nothing import, idempotent re-runs, audited as an import."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clients import imports
from clients.models import CaseAssignment, Client, Consent, Episode
from recovery.models import AccessLog
from recovery.tables import read_table
from tests.factories import ClientFactory, days

URL = reverse("clients:import")
HEADER = "full_name,preferred_name,birth_date,intake_date,referral_source,assigned_peer_email,consent_on_file," \
         "consent_signed_on,consent_expires_on\n"


def csv_file(*lines: str, name="people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "\n".join(lines) + "\n").encode(), content_type="text/csv")


def good_rows(peer) -> list[str]:
    return [f"Ana Import,Ana,1980-02-03,{days(-30)},treatment,{peer.email},yes,{days(-30)},{days(300)}",
            f"Ben Import,,03/04/1975,{days(-10)},self,,no,,"]


def response_sha(lines) -> str:
    import hashlib

    return hashlib.sha256((HEADER + "\n".join(lines) + "\n").encode()).hexdigest()[:16]


def check(client, upload):
    return client.post(URL, {"file": upload})


def commit(client, response):
    return client.post(URL, {"form_token": response.context["token"]})


def test_the_dry_run_shows_every_row_and_writes_nothing(login, admin, peer, program):
    ClientFactory(program=program, primary_peer=peer, full_name="Cara Here", birth_date="1990-01-01")
    client = login(admin)
    before = Client.objects.count()
    response = check(client, csv_file(*good_rows(peer), "cara here,,1990-01-01,2024-01-01,self,,,,",
                                      "No Birth,,,2024-01-01,self,,,,",
                                      "Bad Peer,,1970-01-01,2024-01-01,self,nobody@example.org,,,",
                                      "Odd Source,,1970-01-01,2024-01-01,psychic,,maybe,,"))
    assert response.status_code == 200
    assert Client.objects.count() == before
    outcomes = [(row.line, row.outcome) for row in response.context["rows"]]
    assert outcomes == [(2, "new"), (3, "new"), (4, "existing"), (5, "error"), (6, "error"), (7, "error")]
    reasons = {row.line: " ".join(row.reasons or []) for row in response.context["rows"]}
    assert "Birth date: missing" in reasons[5]
    assert "nobody@example.org is not a peer specialist" in reasons[6]
    assert "Referral source" in reasons[7] and "Consent on file" in reasons[7]
    html = response.content.decode()
    assert "Birth date: missing" in html and "Import 2 new" not in html  # errors: no import button
    assert AccessLog.objects.filter(object_type="import.participants").count() == 1


def test_an_import_creates_all_new_rows_with_episode_assignment_and_consent(login, admin, peer, program):
    client = login(admin)
    response = check(client, csv_file(*good_rows(peer)))
    assert response.context["counts"] == {"new": 2, "existing": 0, "error": 0}
    assert commit(client, response).status_code == 302
    ana = Client.objects.get(full_name="Ana Import")
    assert ana.program == program and ana.primary_peer == peer and ana.preferred_name == "Ana"
    assert Episode.objects.get(client=ana).referral_source == "treatment"
    assert CaseAssignment.objects.get(client=ana).peer == peer
    consent = Consent.objects.get(client=ana)
    assert consent.expires_on == days(300) and consent.signed_on == days(-30)
    ben = Client.objects.get(full_name="Ben Import")
    assert ben.primary_peer is None and not Consent.objects.filter(client=ben).exists()
    # Audited as created by the import: the change history's context names it.
    event = apps.get_model("clients", "ClientEvent").objects.select_related("pgh_context").get(
        pgh_obj=ana, pgh_label="insert")
    assert event.pgh_context.metadata["import_source"] == "import:" + response_sha(good_rows(peer))


def test_running_the_same_file_again_creates_nothing_new(login, admin, peer):
    client = login(admin)
    commit(client, check(client, csv_file(*good_rows(peer))))
    count = Client.objects.count()
    response = check(client, csv_file(*good_rows(peer)))
    assert response.context["counts"] == {"new": 0, "existing": 2, "error": 0}
    assert Client.objects.count() == count


def test_the_same_person_twice_in_a_file_is_an_error(login, admin):
    response = check(login(admin), csv_file("Dee Double,,1970-01-01,2024-01-01,self,,,,",
                                            "DEE  double,,1970-01-01,2024-02-01,self,,,,"))
    assert [row.outcome for row in response.context["rows"]] == ["new", "error"]
    assert "as row 2" in response.context["rows"][1].reasons[0]


def test_the_import_is_all_or_nothing(admin, peer, program):
    table = read_table("x.csv", (HEADER + "\n".join([*good_rows(peer), "Bad,,,,,,,,"])).encode())
    with pytest.raises(Exception, match="nothing was imported"):
        imports.participants_import(program=program, by=admin, table=table, source="test")
    assert not Client.objects.filter(full_name__endswith="Import").exists()


def test_an_xlsx_file_imports_like_a_csv(login, admin, peer):
    book = Workbook()
    sheet = book.active
    sheet.append(["Full name", "Birth date", "Intake date", "Referral source"])
    sheet.append(["Xena Sheet", days(-9000), days(-5), "Treatment provider"])
    out = io.BytesIO()
    book.save(out)
    client = login(admin)
    response = check(client, SimpleUploadedFile("people.xlsx", out.getvalue()))
    assert [row.outcome for row in response.context["rows"]] == ["new"], response.context["rows"][0].reasons
    commit(client, response)
    assert Client.objects.get(full_name="Xena Sheet").birth_date == days(-9000)


def test_a_file_lantern_cannot_read_is_refused_at_the_field(login, admin):
    response = check(login(admin), SimpleUploadedFile("people.pdf", b"%PDF-1.4"))
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_templates_download_for_admins(login, admin):
    client = login(admin)
    response = client.get(reverse("clients:import_template", args=["xlsx"]))
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(header) == imports.COLUMNS
    assert client.get(reverse("clients:import_template", args=["csv"])).content.decode().startswith("full_name,")


@pytest.mark.parametrize("who", ["peer", "supervisor"])
def test_only_admins_import(login, request, who):
    client = login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": csv_file("A B,,1970-01-01,2024-01-01,self,,,,")}).status_code == 403


def test_the_dry_run_keeps_its_query_budget_with_many_rows(login, admin, peer, django_assert_max_num_queries):
    lines = [f"Many Person{n},,1970-01-{1 + n % 28:02},2024-01-01,self,{peer.email},no,," for n in range(300)]
    client = login(admin)
    with django_assert_max_num_queries(15):
        response = check(client, csv_file(*lines))
    assert response.context["counts"]["new"] == 300
    with django_assert_max_num_queries(40):
        commit(client, response)
    assert Client.objects.filter(full_name__startswith="Many Person").count() == 300

"""CSV import of directory entries: a dry run says what would be added, what is already there and what is
wrong in each row, and adds nothing; importing the checked file adds exactly those entries."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.imports import resources_import
from referrals.models import Resource
from tests.factories import ResourceFactory, days, resource_categories

URL = reverse("referrals:resource_import")
CSV = (
    "organisation,service_name,categories,languages,cost,accepts_medicaid,walk_in,website,last_verified,extra\n"
    "Clínica Esperanza,Buprenorfina,Treatment and medication for opioid use disorder;health-care,Spanish;English,"
    "sliding,yes,no,https://example.org,{verified},x\n"
    "Harbor House,Recovery residence,recovery-housing,English,fee,no,no,,,\n"
    ",No name,food,,,,,,,\n"
    "Bad Row,,no-such-category,,cheap,maybe,,not a site,2999-01-01,\n"
    "Valley Pantry,,food,,free,,yes,,,\n"
)


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("entries.csv", text.encode(), content_type="text/csv")


def test_the_dry_run_reports_every_row_and_adds_nothing(login, admin, program):
    resource_categories()
    ResourceFactory(program=program, organisation="HARBOR HOUSE", service_name="recovery résidence")
    text = CSV.format(verified=days(-3).isoformat())
    response = login(admin).post(URL, {"file": upload(text)})
    assert response.status_code == 200
    result = response.context["result"]
    assert [r.organisation for r in result.added] == ["Clínica Esperanza", "Valley Pantry"]
    assert [r.organisation for r in result.duplicates] == ["Harbor House"]
    assert [r.line for r in result.errors] == [4, 5]
    bad = " ".join(result.errors[1].errors)
    for column in ("categories", "cost", "accepts_medicaid", "website", "last_verified"):
        assert column in bad
    assert result.unknown_columns == ["extra"]
    assert Resource.objects.filter(program=program).count() == 1
    assert "Import 2 entries" in response.content.decode()


def test_importing_the_checked_file_adds_the_new_entries_once(login, admin, program):
    resource_categories()
    text = CSV.format(verified=days(-3).isoformat())
    http = login(admin)
    checked = http.post(URL, {"file": upload(text)}).context["checked"]
    response = http.post(URL, {"confirm": "1", "checked": checked})
    assert response.status_code == 302
    clinic = Resource.objects.get(organisation="Clínica Esperanza")
    assert sorted(c.code for c in clinic.categories.all()) == ["health-care", "moud"]
    assert clinic.languages == ["Spanish", "English"] and clinic.accepts_medicaid and not clinic.walk_in
    assert clinic.verified_on == days(-3) and clinic.verified_by == admin
    assert Resource.objects.get(organisation="Valley Pantry").verified_on is None
    assert Resource.objects.filter(program=program).count() == 3
    http.post(URL, {"confirm": "1", "checked": checked})  # sent again: the entries are already there
    assert Resource.objects.filter(program=program).count() == 3
    assert list(Resource.objects.filter(program=program).search("clinica")) == [clinic]


def test_a_tampered_check_is_refused(login, admin, program):
    response = login(admin).post(URL, {"confirm": "1", "checked": "organisation\nSneaky"})
    assert response.status_code == 302 and not Resource.objects.exists()


def test_a_file_without_an_organisation_column_says_so(program, admin):
    result = resources_import(program=program, text="name,phone\nX,1\n", by=admin, dry_run=True)
    assert "organisation" in result.errors[0].errors[0] and not result.added


def test_a_file_that_is_not_utf8_is_an_error_at_the_field(login, admin):
    response = login(admin).post(URL, {"file": SimpleUploadedFile("x.csv", "organisation\nCafé\n".encode("utf-16"))})
    assert response.status_code == 200 and "UTF-8" in str(response.context["form"].errors["file"])


def test_only_program_admins_import(login, peer, supervisor):
    assert login(peer).get(URL).status_code == 403
    assert login(supervisor).get(URL).status_code == 403

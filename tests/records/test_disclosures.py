"""Recording a disclosure: only a consent in force naming the recipient and the information covers it; every
other consent is refused with its own reason; an exception needs its reason; the record is final and carries
the program's §2.32 notice; the accounting (screen, PDF, CSV) is logged."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from pypdf import PdfReader

from records.coverage import EXPIRED, OTHER_INFORMATION, OTHER_RECIPIENT, REVOKED
from records.forms import CONSENT_DOES_NOT_COVER, EXCEPTION_REASON_NEEDED, NO_COVERING_CONSENT
from records.models import Disclosure
from recovery.models import AccessLog
from tests.factories import DisclosureFactory, days
from tests.records.conftest import disclosure_data, expired, other_information, other_recipient, revoked


def _new(client) -> str:
    return reverse("records:disclosure_new", args=[client.uuid])


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_a_disclosure_under_a_covering_consent_is_recorded_with_the_programs_notice(login, peer, mine, covering):
    mine.program.disclosure_notice = "Our counsel's notice against redisclosure."
    mine.program.save()
    response = login(peer).post(_new(mine), disclosure_data(covering))
    disclosure = Disclosure.objects.get(client=mine)
    assert response.url == disclosure.get_absolute_url()
    assert (disclosure.consent, disclosure.basis, disclosure.disclosed_by) == (covering, "consent", peer)
    assert disclosure.notice == "Our counsel's notice against redisclosure."


@pytest.mark.parametrize(("make", "reason"), [
    (revoked, REVOKED.split(" {")[0]), (expired, EXPIRED.split(" {")[0]),
    (other_recipient, OTHER_RECIPIENT.split(":")[0]), (other_information, OTHER_INFORMATION.split(":")[0]),
])
def test_a_consent_that_does_not_cover_the_disclosure_is_refused_with_its_own_reason(login, peer, mine, make,
                                                                                      reason):
    consent = make(mine)
    response = login(peer).post(_new(mine), disclosure_data(consent, purpose="Kept as typed"))
    assert response.status_code == 200
    [error] = response.context["form"].errors["consent"]
    assert error.startswith(CONSENT_DOES_NOT_COVER.split("{")[0]) and reason in error
    page = response.content.decode()
    assert "Kept as typed" in page and reason in page  # at the field, and the consent listed as not offered
    assert not Disclosure.objects.exists()


def test_the_form_offers_only_the_covering_consent_and_says_why_each_other_is_not(login, peer, mine, covering):
    refused = [revoked(mine), expired(mine), other_recipient(mine), other_information(mine)]
    response = login(peer).post(_new(mine), {**disclosure_data(), "check": "1"})
    form = response.context["form"]
    assert [value for value, _ in form.fields["consent"].widget.choices] == [str(covering.uuid)]
    assert {c.pk for c, _ in response.context["coverage"].refused} == {c.pk for c in refused}
    assert not form.errors and not Disclosure.objects.exists()  # checking records nothing


def test_without_a_covering_consent_the_disclosure_needs_an_exception(login, peer, mine):
    other_recipient(mine)
    response = login(peer).post(_new(mine), disclosure_data())
    assert response.context["form"].errors["consent"] == [NO_COVERING_CONSENT]
    assert not Disclosure.objects.exists()


def test_an_exception_needs_its_reason(login, peer, mine):
    http = login(peer)
    response = http.post(_new(mine), disclosure_data(basis="medical_emergency"))
    assert response.context["form"].errors["reason"] == [EXCEPTION_REASON_NEEDED]
    assert not Disclosure.objects.exists()
    http.post(_new(mine), disclosure_data(basis="medical_emergency", reason="Paramedics asked what was taken."))
    disclosure = Disclosure.objects.get()
    assert (disclosure.basis, disclosure.consent, disclosure.reason) == (
        "medical_emergency", None, "Paramedics asked what was taken.")


def test_a_double_submit_records_one_disclosure(login, peer, mine, covering):
    http = login(peer)
    data = disclosure_data(covering)
    http.get(_new(mine))
    first, second = http.post(_new(mine), data), http.post(_new(mine), data)
    assert first.url == second.url
    assert Disclosure.objects.count() == 1


def test_a_disclosure_is_final_in_the_database(mine):
    disclosure = DisclosureFactory(client=mine)
    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.filter(pk=disclosure.pk).update(recipient="Someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.filter(pk=disclosure.pk).delete()


def test_read_only_roles_cannot_record_and_out_of_scope_is_not_found(login, supervisor, other_peer, mine, covering):
    assert login(supervisor).post(_new(mine), disclosure_data(covering)).status_code == 403
    assert login(other_peer).post(_new(mine), disclosure_data(covering)).status_code == 404
    assert not Disclosure.objects.exists()


def test_the_disclosure_pdf_carries_the_notice_and_is_logged(login, supervisor, mine):
    disclosure = DisclosureFactory(client=mine, recipient="State auditors")
    response = login(supervisor).get(reverse("records:disclosure_pdf", args=[disclosure.uuid]))
    text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "State auditors" in text and "42 CFR part 2" in text and "redisclose" in text
    assert AccessLog.objects.filter(action="export", object_id=str(disclosure.uuid), client_uuid=mine.uuid).count() == 1


def test_the_accounting_lists_every_disclosure_newest_first_and_logs_one_row(login, admin, mine):
    old = DisclosureFactory(client=mine, disclosed_on=days(-30), recipient="Old recipient")
    new = DisclosureFactory(client=mine, disclosed_on=days(-1), recipient="New recipient")
    response = login(admin).get(reverse("records:accounting", args=[mine.uuid]))
    assert list(response.context["page"].object_list) == [new, old]
    assert AccessLog.objects.filter(client_uuid=mine.uuid).count() == 1


def test_the_accounting_downloads_as_csv_and_pdf_each_logged(login, peer, mine, covering):
    DisclosureFactory(client=mine, basis="consent", consent=covering, recipient="Valley Primary Care")
    http = login(peer)
    response = http.get(reverse("records:accounting_export", args=[mine.uuid, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == "Valley Primary Care" and rows[1][5] == "The participant's written consent"
    response = http.get(reverse("records:accounting_export", args=[mine.uuid, "pdf"]))
    text = pdf_text(response.content)
    assert "Accounting of disclosures" in text and "Valley Primary Care" in text and "42 CFR part 2" in text
    logged = AccessLog.objects.filter(action="export", client_uuid=mine.uuid).values_list("object_type", flat=True)
    assert sorted(logged) == ["records.accounting.csv", "records.accounting.pdf"]
    assert http.get(reverse("records:accounting_export", args=[mine.uuid, "xml"])).status_code == 404


def test_the_admin_edits_the_notice_in_the_program_rules(login, admin, program):
    page = login(admin).get(reverse("program_rules")).content.decode()
    assert "Notice sent with each disclosure" in page and "42 CFR part 2" in page

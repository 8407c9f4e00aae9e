"""Query budgets: the pages of the records app, the participant page's section and the record export run the
same number of queries with one row and with many."""

from __future__ import annotations

from django.urls import reverse

from records.models import Basis, Disclosure, Document, Method
from tests.factories import ConsentFactory, DisclosureFactory, DocumentFactory, bulk_notes, days
from tests.referrals.test_queries import count_queries

ACCOUNTING_BUDGET = 14
DOCUMENTS_BUDGET = 14
FORM_BUDGET = 16
EXPORT_BUDGET = 30
MANY = 60


def _many_disclosures(client, consent):
    Disclosure.objects.bulk_create([Disclosure(
        client=client, recipient=f"Recipient {n}", information="Attendance", disclosed_on=days(-(n % 300)),
        method=Method.FAX, basis=Basis.CONSENT, consent=consent, notice="Notice", disclosed_by=client.primary_peer)
        for n in range(MANY)])


def _many_documents(client, document):
    Document.objects.bulk_create([Document(client=client, kind=document.kind, title=f"Letter {n}",
                                           received_on=days(-n), file=document.file.name,
                                           uploaded_by=client.primary_peer) for n in range(MANY)])


def test_the_accounting_and_its_downloads_run_a_fixed_number_of_queries(login, peer, mine, frozen_time,
                                                                        django_assert_max_num_queries):
    consent = ConsentFactory(client=mine)
    DisclosureFactory(client=mine, basis=Basis.CONSENT, consent=consent)
    http = login(peer)
    urls = [reverse("records:accounting", args=[mine.uuid]),
            reverse("records:accounting_export", args=[mine.uuid, "csv"])]
    few = [count_queries(http, url) for url in urls]
    _many_disclosures(mine, consent)
    with django_assert_max_num_queries(ACCOUNTING_BUDGET):
        http.get(urls[0])
    assert [count_queries(http, url) for url in urls] == few


def test_the_participant_page_and_documents_list_with_many_rows_run_as_many_queries_as_with_one(
        login, peer, mine, uploads, frozen_time, django_assert_max_num_queries):
    document = DocumentFactory(client=mine)
    DisclosureFactory(client=mine)
    http = login(peer)
    urls = [mine.get_absolute_url(), reverse("records:document_list", args=[mine.uuid])]
    few = [count_queries(http, url) for url in urls]
    _many_documents(mine, document)
    _many_disclosures(mine, ConsentFactory(client=mine))
    ConsentFactory(client=mine)  # the consents section shows one more: not this app's rows
    many = [count_queries(http, url) for url in urls]
    assert many == few
    with django_assert_max_num_queries(DOCUMENTS_BUDGET):
        http.get(urls[1])


def test_the_disclosure_form_with_many_consents_runs_a_fixed_number_of_queries(login, peer, mine, frozen_time,
                                                                               django_assert_max_num_queries):
    ConsentFactory(client=mine)
    http = login(peer)
    url = reverse("records:disclosure_new", args=[mine.uuid])
    data = {"recipient": "Valley Primary Care", "information": "attendance", "check": "1"}
    few = count_queries(http, url)
    for n in range(30):
        ConsentFactory(client=mine, recipients=f"Provider {n}")
    with django_assert_max_num_queries(FORM_BUDGET):
        assert count_queries(http, url) == few
        http.post(url, data)


def test_the_record_export_runs_a_fixed_number_of_queries(login, peer, mine, uploads, frozen_time,
                                                          django_assert_max_num_queries):
    export = DisclosureFactory(client=mine, basis=Basis.OWN_REQUEST, kind=Disclosure.Kind.RECORD_EXPORT)
    DocumentFactory(client=mine)
    bulk_notes(mine, 1)
    http = login(peer)
    url = reverse("records:record_export_file", args=[export.uuid, "json"])
    few = count_queries(http, url)
    bulk_notes(mine, MANY, start=days(-2))
    _many_disclosures(mine, ConsentFactory(client=mine))
    with django_assert_max_num_queries(EXPORT_BUDGET):
        assert count_queries(http, url) == few

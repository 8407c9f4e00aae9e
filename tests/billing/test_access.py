"""Who sees billing (issue 20): the program's billing clerks and admins; nobody else, and no other program.
A billing clerk sees no clinical record. Every billing page holds its query budget with many rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from billing.services import batch_create
from recovery.models import AccessLog
from tests.billing.conftest import signed_note
from tests.factories import (
    AuthorizationFactory,
    ClientFactory,
    CoverageFactory,
    PayerFactory,
    days,
    service_code,
)
from tests.spanish import get_in_spanish

START, END = days(-60), days(-1)
PAGES = ["billing:review", "billing:participants", "billing:payers"]


@pytest.fixture
def billed(program, mine, registered, billing_clerk):
    payer = PayerFactory(program=program)
    CoverageFactory(client=mine, payer=payer)
    AuthorizationFactory(client=mine, payer=payer, starts_on=START, ends_on=END, recommended_on=days(-30))
    signed_note(mine, days(-10), 60)
    return batch_create(program=program, start=START, end=END, by=billing_clerk)


@pytest.mark.parametrize("name", PAGES)
def test_billing_clerks_and_admins_see_the_billing_pages(login, billing_clerk, admin, name):
    for user in (billing_clerk, admin):
        assert login(user).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_peers_and_supervisors_do_not(login, peer, supervisor, name):
    for user in (peer, supervisor):
        assert login(user).get(reverse(name)).status_code == 403


def test_a_billing_clerk_sees_billing_records_but_no_clinical_record(login, billing_clerk, mine, billed):
    http = login(billing_clerk)
    assert http.get(reverse("billing:participant", args=[mine.uuid])).status_code == 200
    assert http.get(reverse("billing:batch_detail", args=[billed.uuid])).status_code == 200
    note = billed.lines.get().note
    assert http.get(reverse("clients:detail", args=[mine.uuid])).status_code == 404
    assert http.get(reverse("clients:note_detail", args=[note.uuid])).status_code == 404
    assert mine.full_name not in http.get(reverse("clients:caseload")).content.decode()


def test_another_programs_billing_is_out_of_sight(login, outsider, foreign, mine, billed):
    http = login(outsider)
    assert http.get(reverse("billing:batch_detail", args=[billed.uuid])).status_code == 404
    assert http.get(reverse("billing:batch_export", args=[billed.uuid, "csv"])).status_code == 404
    assert http.get(reverse("billing:participant", args=[mine.uuid])).status_code == 404
    assert http.get(reverse("billing:participant", args=[foreign.uuid])).status_code == 200  # their own program
    assert mine.full_name not in http.get(reverse("billing:participants")).content.decode()


def test_an_unknown_export_format_is_not_found(login, billing_clerk, billed):
    assert login(billing_clerk).get(f"/billing/batches/{billed.uuid}/claims.pdf").status_code == 404


def test_pages_write_one_access_log_row(login, billing_clerk, mine, billed):
    http = login(billing_clerk)
    for url in [reverse("billing:review"), reverse("billing:participants"),
                reverse("billing:participant", args=[mine.uuid]), billed.get_absolute_url()]:
        before = AccessLog.objects.count()
        assert http.get(url).status_code == 200
        assert AccessLog.objects.count() == before + 1, url


def test_a_billing_clerk_adds_a_payer_coverage_and_an_authorization(login, program, billing_clerk, mine):
    http = login(billing_clerk)
    page = http.get(reverse("billing:payers"))
    http.post(reverse("billing:payers"), {"name": "Cardinal Care", "kind": "medicaid", "payer_code": "VA1",
                                          "requires_authorization": "on",
                                          "form_token": page.context["form"]["form_token"].value()})
    url = reverse("billing:coverage_new", args=[mine.uuid])
    form = http.get(url).context["form"]
    payer = form.fields["payer"].queryset.get()
    response = http.post(url, {"payer": payer.pk, "member_id": "123456789", "starts_on": days(-30).isoformat(),
                               "ends_on": "", "form_token": form["form_token"].value()})
    assert response.status_code == 302
    url = reverse("billing:authorization_new", args=[mine.uuid])
    form = http.get(url).context["form"]
    data = {"payer": payer.pk, "service_code": service_code().pk, "number": "PA-77", "units_authorized": "96",
            "starts_on": days(-30).isoformat(), "ends_on": days(-40).isoformat(),
            "recommended_on": days(-35).isoformat(), "form_token": form["form_token"].value()}
    rejected = http.post(url, data)
    assert rejected.status_code == 200 and rejected.context["form"].errors["ends_on"]
    assert 'value="PA-77"' in rejected.content.decode()  # what was typed is kept
    assert http.post(url, {**data, "ends_on": days(60).isoformat()}).status_code == 302
    page = http.get(reverse("billing:participant", args=[mine.uuid])).content.decode()
    assert "123456789" in page and "PA-77" in page and "0 of 96 units used" in page


def test_a_peer_cannot_post_to_billing(login, peer, mine):
    http = login(peer)
    assert http.post(reverse("billing:batch_new"), {"month": f"{days(0):%Y-%m}"}).status_code == 403
    assert http.post(reverse("billing:coverage_new", args=[mine.uuid]), {}).status_code == 403


def _many(program, count: int) -> None:
    payer = PayerFactory(program=program, name=f"Payer {count}")
    for index in range(count):
        client = ClientFactory(program=program, primary_peer=program.memberships.get(role="peer").user)
        CoverageFactory(client=client, payer=payer)
        AuthorizationFactory(client=client, payer=payer, starts_on=START, ends_on=END, recommended_on=days(-30))
        for offset in (3, 5, 8):
            signed_note(client, days(-offset - index % 3), 45)


def test_the_billing_pages_hold_their_query_budgets(frozen_time, login, program, peer, registered, billing_clerk,
                                                      mine, django_assert_max_num_queries):
    _many(program, 1)
    http = login(billing_clerk)
    month = f"{days(-5):%Y-%m}"
    urls = [f"{reverse('billing:review')}?month={month}", reverse("billing:participants"),
            reverse("billing:participant", args=[mine.uuid]), reverse("billing:payers")]
    for url in urls:
        http.get(url)
    for url in urls:
        with django_assert_max_num_queries(20):
            http.get(url)
    _many(program, 12)  # 36 more notes, 12 participants with coverage and an authorization
    for url in urls:
        with django_assert_max_num_queries(20):
            assert http.get(url).status_code == 200
    assert len(http.get(urls[0]).context["ready"]) >= 36
    batch = batch_create(program=program, start=START, end=END, by=billing_clerk)
    with django_assert_max_num_queries(20):
        assert http.get(batch.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert http.get(reverse("billing:batch_export", args=[batch.uuid, "xlsx"])).status_code == 200


SIGNED_IN_PAGES = ["home", "notifications", "notification_preferences", "password_change", "clients:caseload",
                   "clients:followup_list", "clients:intake", "clients:note_log", "clients:emergency",
                   "supervision:log", "supervision:dashboard", "peers:staff_home", "outcomes:gpra_list",
                   "outcomes:demographics_report"]


def test_a_billing_clerk_gets_an_answer_on_every_other_page_and_sees_no_participant(login, billing_clerk, mine,
                                                                                     theirs, billed):
    http = login(billing_clerk)
    for name in SIGNED_IN_PAGES:
        response = http.get(reverse(name))
        assert response.status_code in (200, 302, 403), name
        if response.status_code == 200:
            html = response.content.decode()
            assert mine.full_name not in html and theirs.full_name not in html, name
    assert 'href="/billing/"' in http.get(reverse("home")).content.decode()


def test_the_billing_review_reads_in_spanish(login, billing_clerk):
    page = get_in_spanish(login(billing_clerk), reverse("billing:review")).content.decode()
    assert "Revisión de facturación" in page and "Lotes facturados" in page
    assert "Billing review" not in page

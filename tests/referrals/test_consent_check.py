"""42 CFR Part 2: a referral that shares the participant's information needs a consent in force naming the
recipient, or a class of recipients that covers it. The form says which consent covers it, or that none
does, why, and how to record one; it never allows silently."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clients.models import Consent
from referrals.consent import CLASS, NAMED, consent_check
from referrals.models import Referral
from tests.factories import ConsentFactory, ResourceFactory, days


@pytest.fixture
def residence(program):
    return ResourceFactory(program=program, organisation="Harbor House Recovery Residence",
                           categories=["recovery-housing"])


def check(client, organisation="Harbor House Recovery Residence", classes=("Recovery housing",)):
    return consent_check(client=client, organisation=organisation, class_names=list(classes), today=days(0))


def test_a_consent_naming_the_organisation_covers_it_whatever_the_case_and_accents(mine):
    consent = ConsentFactory(client=mine, recipients="HARBOR HOUSE RECOVERY RESIDENCE, Staunton")
    result = check(mine)
    assert result.covered and result.consent == consent and result.how == NAMED
    assert "names Harbor House Recovery Residence and is in force" in result.message
    assert consent_check(client=mine, organisation="Clínica Esperanza", class_names=[], today=days(0)).covered \
        is False
    ConsentFactory(client=mine, recipients="Clinica Esperanza")
    assert consent_check(client=mine, organisation="Clínica Esperanza", class_names=[], today=days(0)).covered


def test_no_consent_naming_it_is_not_covered_and_says_how_to_record_one(mine):
    ConsentFactory(client=mine, recipients="Dr. Example, Valley Primary Care")
    result = check(mine)
    assert not result.covered and result.consent is None
    assert "No consent in force names Harbor House Recovery Residence" in result.message
    assert "Record a new 42 CFR Part 2 consent" in result.message
    assert result.record_url == reverse("clients:consent_new", args=[mine.uuid])


def test_a_part_of_a_name_is_not_the_name(mine):
    ConsentFactory(client=mine, recipients="Harbor House Thrift Store")
    assert not check(mine).covered


def test_a_revoked_consent_does_not_cover_and_the_check_says_it_was_revoked(mine, peer):
    consent = ConsentFactory(client=mine, recipients="Harbor House Recovery Residence")
    Consent.objects.filter(pk=consent.pk).update(revoked_on=days(-1), revocation_method="writing", revoked_by=peer)
    result = check(mine)
    assert not result.covered
    assert f"was revoked on {days(-1):%b} {days(-1).day}, {days(-1).year}" in result.message


def test_an_expired_consent_does_not_cover_and_the_check_says_it_expired(mine):
    ConsentFactory(client=mine, recipients="Harbor House Recovery Residence", signed_on=days(-400),
                   expires_on=days(-1))
    result = check(mine)
    assert not result.covered and "expired on" in result.message


def test_a_consent_expiring_today_still_covers(mine):
    ConsentFactory(client=mine, recipients="Harbor House Recovery Residence", signed_on=days(-400),
                   expires_on=days(0))
    assert check(mine).covered


def test_a_class_of_recipients_that_includes_the_entry_covers_it(mine):
    consent = ConsentFactory(client=mine, recipients="Any recovery housing provider in the valley")
    result = check(mine)
    assert result.covered and result.consent == consent and result.how == CLASS
    assert "class of recipients that covers it (Recovery housing)" in result.message
    assert not check(mine, classes=("Food",)).covered


def test_a_consent_naming_it_is_preferred_to_a_class(mine):
    ConsentFactory(client=mine, recipients="Any recovery housing provider")
    named = ConsentFactory(client=mine, recipients="Harbor House Recovery Residence", signed_on=days(-20))
    assert check(mine).consent == named


def test_another_participants_consent_never_counts(mine, theirs):
    ConsentFactory(client=theirs, recipients="Harbor House Recovery Residence")
    assert not check(mine).covered


def _post(http, client, resource, **fields):
    url = reverse("referrals:referral_new", args=[client.uuid]) + f"?resource={resource.uuid}"
    form = http.get(url).context["form"]
    data = {"resource": str(resource.uuid), "form_token": str(form["form_token"].value()),
            "made_on": days(0).isoformat(), "followup_on": (days(0) + datetime.timedelta(days=7)).isoformat(),
            "reason": "Needs housing", "method": "warm_handoff", **fields}
    return http.post(url, data)


def test_the_form_refuses_to_share_without_consent_and_says_why_at_the_field(login, peer, mine, residence):
    http = login(peer)
    response = _post(http, mine, residence, shares_information="on")
    assert response.status_code == 200
    errors = response.context["form"].errors["shares_information"]
    assert "No consent in force names Harbor House Recovery Residence" in errors[0]
    assert reverse("clients:consent_new", args=[mine.uuid]) in response.content.decode()
    assert not Referral.objects.exists()


def test_the_form_records_the_covering_consent_and_says_which_one(login, peer, mine, residence):
    consent = ConsentFactory(client=mine, recipients="Harbor House Recovery Residence")
    http = login(peer)
    page = http.get(reverse("referrals:referral_new", args=[mine.uuid]) + f"?resource={residence.uuid}")
    assert "Covered: the consent signed" in page.content.decode()
    response = _post(http, mine, residence, shares_information="on")
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.shares_information and referral.consent == consent
    assert "Covered: the consent signed" in http.get(response.url).content.decode()


def test_a_referral_that_shares_nothing_needs_no_consent(login, peer, mine, residence):
    response = _post(login(peer), mine, residence)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert not referral.shares_information and referral.consent is None

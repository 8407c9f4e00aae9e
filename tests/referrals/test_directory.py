"""The resource directory: word search that ignores accents and case, filters, the stale flag at its edge,
entries shared between an admin's programs, and who may change what."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from recovery.models import Membership
from referrals.models import Resource
from tests.factories import MembershipFactory, ResourceFactory, days, resource_categories
from tests.spanish import get_in_spanish

LIST = reverse("referrals:resource_list")


def titles(response) -> list[str]:
    return [r.organisation for r in response.context["page"].object_list]


def test_search_ignores_accents_and_case_in_both_directions(login, peer, program):
    ResourceFactory(program=program, organisation="Clínica Esperanza", service_name="Tratamiento")
    ResourceFactory(program=program, organisation="Jose's Food Pantry", categories=["food"])
    http = login(peer)
    assert titles(http.get(LIST, {"q": "clinica"})) == ["Clínica Esperanza"]
    assert titles(http.get(LIST, {"q": "CLÍNICA esper"})) == ["Clínica Esperanza"]
    assert titles(http.get(LIST, {"q": "josé"})) == ["Jose's Food Pantry"]


def test_search_finds_words_of_categories_languages_and_eligibility_by_their_start(login, peer, program):
    ResourceFactory(program=program, organisation="Harbor House", categories=["recovery-housing"],
                    languages=["Spanish"], eligibility="Women over 18")
    ResourceFactory(program=program, organisation="Valley Pantry", categories=["food"])
    http = login(peer)
    assert titles(http.get(LIST, {"q": "recov hous"})) == ["Harbor House"]
    assert titles(http.get(LIST, {"q": "spanish"})) == ["Harbor House"]
    assert titles(http.get(LIST, {"q": "women"})) == ["Harbor House"]
    assert titles(http.get(LIST, {"q": "housing food"})) == []  # every word must match


def test_filters_by_category_language_and_cost(login, peer, program):
    ResourceFactory(program=program, organisation="A Residence", categories=["recovery-housing"],
                    languages=["English", "Spanish"], cost=Resource.Cost.FEE)
    ResourceFactory(program=program, organisation="B Pantry", categories=["food"], languages=["English"],
                    cost=Resource.Cost.FREE)
    ResourceFactory(program=program, organisation="C Clinic", categories=["moud", "health-care"],
                    languages=["English"], cost=Resource.Cost.INSURANCE)
    http = login(peer)
    assert titles(http.get(LIST, {"category": "recovery-housing"})) == ["A Residence"]
    assert titles(http.get(LIST, {"category": "health-care"})) == ["C Clinic"]
    assert titles(http.get(LIST, {"language": "Spanish"})) == ["A Residence"]
    assert titles(http.get(LIST, {"cost": "free"})) == ["B Pantry"]
    assert titles(http.get(LIST, {"cost": "fee", "language": "English"})) == ["A Residence"]
    assert http.get(LIST).context["form"].fields["language"].choices[1:] == [("English", "English"),
                                                                             ("Spanish", "Spanish")]


def test_the_default_categories_are_data(db):
    names = [c.name for c in resource_categories().values()]
    assert "Treatment and medication for opioid use disorder" in names and "Harm reduction and naloxone" in names
    assert len(names) == 16


@pytest.mark.parametrize(("verified_days_ago", "stale"), [(179, False), (180, False), (181, True), (None, True)])
def test_an_entry_is_stale_only_after_the_programs_number_of_days(login, peer, program, verified_days_ago, stale):
    assert program.resource_stale_days == 180
    resource = ResourceFactory(program=program, organisation="Edge House",
                               verified_on=days(-verified_days_ago) if verified_days_ago is not None else None)
    today = program.today()
    assert resource.is_stale(program, today) is stale
    assert Resource.objects.stale(program, today).exists() is stale
    http = login(peer)
    assert titles(http.get(LIST, {"stale": "on"})) == (["Edge House"] if stale else [])
    assert ("Re-check this entry" in http.get(resource.get_absolute_url()).content.decode()) is stale


def test_the_stale_rule_is_a_program_setting(program):
    resource = ResourceFactory(program=program, verified_on=days(-40))
    program.resource_stale_days = 30
    assert resource.is_stale(program, program.today())


def test_verifying_an_entry_records_the_day_and_who(login, peer, program):
    resource = ResourceFactory(program=program, verified_on=days(-400))
    response = login(peer).post(reverse("referrals:resource_verify", args=[resource.uuid]),
                                {"verified_on": days(0).isoformat()})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.verified_on == days(0) and resource.verified_by == peer


def test_a_verification_date_in_the_future_is_refused(login, peer, program):
    resource = ResourceFactory(program=program, verified_on=days(-400))
    login(peer).post(reverse("referrals:resource_verify", args=[resource.uuid]),
                     {"verified_on": (days(0) + datetime.timedelta(days=3)).isoformat()})
    resource.refresh_from_db()
    assert resource.verified_on == days(-400)


def test_staff_add_an_entry_with_categories_and_it_is_found(login, peer, program):
    categories = resource_categories()
    data = {"organisation": "Nueva Vida", "service_name": "Casa de recuperación",
            "categories": [categories["recovery-housing"].pk], "cost": "sliding", "languages": "Spanish, English",
            "website": "https://example.org", "is_active": "on"}
    http = login(peer)
    response = http.post(reverse("referrals:resource_new"), data)
    assert response.status_code == 302
    resource = Resource.objects.get(organisation="Nueva Vida")
    assert resource.languages == ["Spanish", "English"] and resource.verified_by == peer
    assert titles(http.get(LIST, {"q": "recuperacion"})) == ["Nueva Vida"]


def test_a_rejected_entry_keeps_what_was_typed_with_the_error_at_the_field(login, peer, program):
    response = login(peer).post(reverse("referrals:resource_new"), {"organisation": "Typed Name", "cost": "free",
                                                                    "website": "not a url"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "categories" in form.errors and "website" in form.errors
    assert 'value="Typed Name"' in response.content.decode()


def test_an_admin_shares_an_entry_with_another_program_they_run(login, admin, program, other_program, outsider):
    MembershipFactory(user=admin, program=other_program, role=Membership.Role.ADMIN)
    categories = resource_categories()
    http = login(admin)
    http.post(reverse("switch_program"), {"program": program.pk})
    form = http.get(reverse("referrals:resource_new")).context["form"]
    assert list(form.fields["shared_with"].queryset) == [other_program]
    http.post(reverse("referrals:resource_new"), {
        "organisation": "Shared Shelter", "categories": [categories["housing"].pk], "cost": "free",
        "is_active": "on", "shared_with": [other_program.pk]})
    resource = Resource.objects.get(organisation="Shared Shelter")
    assert list(resource.shared_with.all()) == [other_program]
    assert list(Resource.objects.for_program(other_program.pk)) == [resource]
    # The other program's staff find it and read it, but only its own program edits it.
    other = login(outsider)
    assert titles(other.get(LIST)) == ["Shared Shelter"]
    assert other.get(resource.get_absolute_url()).status_code == 200
    assert other.get(reverse("referrals:resource_edit", args=[resource.uuid])).status_code == 403


def test_a_peer_cannot_share_and_other_programs_do_not_see_unshared_entries(login, peer, program, outsider):
    resource = ResourceFactory(program=program)
    assert "shared_with" not in login(peer).get(reverse("referrals:resource_new")).context["form"].fields
    http = login(outsider)
    assert titles(http.get(LIST)) == []
    assert http.get(resource.get_absolute_url()).status_code == 404


def test_the_entry_page_counts_referrals_and_connections(login, peer, program, mine):
    from referrals.services import referral_update
    from tests.factories import referral_for

    resource = ResourceFactory(program=program)
    made = [referral_for(mine, resource) for _ in range(3)]
    referral_update(referral=made[0], by=peer, status="connected", on=days(0))
    referral_update(referral=made[1], by=peer, status="completed", on=days(0))
    response = login(peer).get(resource.get_absolute_url())
    assert response.context["counts"] == {"made": 3, "connected": 2, "completed": 1}
    assert "3 referrals made · 2 connected · 1 completed" in response.content.decode()


def test_program_admins_add_categories_of_their_own(login, admin, program):
    http = login(admin)
    http.post(reverse("referrals:category_list"), {"name": "Veterans services", "position": "5", "is_active": "on"})
    category = program.resource_categories.get()
    assert category.code == "veterans-services"
    form = http.get(reverse("referrals:resource_new")).context["form"]
    assert category in form.fields["categories"].queryset


def test_the_directory_opened_from_a_note_or_a_participant_offers_to_refer(login, peer, program, mine):
    from tests.factories import SessionNoteFactory

    resource = ResourceFactory(program=program)
    note = SessionNoteFactory(client=mine)
    http = login(peer)
    from_note = http.get(LIST, {"note": str(note.uuid)}).content.decode()
    assert f"{reverse('referrals:referral_from_note', args=[note.uuid])}?resource={resource.uuid}" in from_note
    from_page = http.get(LIST, {"client": str(mine.uuid)}).content.decode()
    assert f"{reverse('referrals:referral_new', args=[mine.uuid])}?resource={resource.uuid}" in from_page
    assert "?resource=" not in http.get(LIST, {"note": "not-a-uuid"}).content.decode()


def test_the_resource_directory_reads_in_spanish(login, peer, program):
    ResourceFactory(program=program, organisation="Casa Esperanza", walk_in=True)
    page = get_in_spanish(login(peer), reverse("referrals:resource_list")).content.decode()
    assert "Directorio de recursos" in page and "Casa Esperanza" in page and "sin cita" in page
    assert "Resource directory" not in page

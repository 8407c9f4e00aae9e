"""Intake: enrolment, the duplicate check (Done when 2), bad input kept at the field and double submits
(Done when 6)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse

from clients.forms.participants import (
    DUPLICATE_NEEDS_REASON,
    NEAR_MATCH_NEEDS_CONFIRMATION,
    SAME_NAME,
    SAME_NAME_AND_BIRTH_DATE,
    SAME_PHONE,
    SIMILAR_NAME,
)
from clients.models import CaseAssignment, Client, Episode
from clients.names import name_key, similar_names
from recovery.fields import BIRTH_DATE_IN_FUTURE, DATE_IN_FUTURE
from tests.factories import ClientFactory, days

BORN = datetime.date(1990, 3, 4)


def intake_data(**overrides) -> dict:
    data = {
        "full_name": "José  Álvarez", "preferred_name": "Pepe", "pronouns": "he/him", "birth_date": "1990-03-04",
        "phone": "540-555-0134", "email": "", "address": "12 Main St", "preferred_contact_method": "text",
        "preferred_contact_times": "Mornings", "emergency_contact_name": "Ana Álvarez",
        "emergency_contact_relationship": "Sister", "emergency_contact_phone": "540-555-0199",
        "started_on": days(0).isoformat(), "referral_source": "treatment", "referral_detail": "Valley Clinic",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_name_key_ignores_case_accents_and_spacing():
    assert name_key("José  Álvarez") == name_key("jose alvarez") == name_key(" JOSE ALVAREZ ") == "jose alvarez"
    assert name_key("Zoë O'Brien-Smith") == "zoe o brien smith"
    assert name_key("Straße") == "strasse"


def test_peer_enrols_a_participant_into_their_own_caseload(login, peer, program):
    response = login(peer).post(reverse("clients:intake"), intake_data())
    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[client.uuid])
    assert (client.program, client.primary_peer, client.created_by) == (program, peer, peer)
    assert client.name_key == "jose alvarez" and client.status == Client.Status.ACTIVE
    episode = Episode.objects.get(client=client)
    assert (episode.started_on, episode.referral_source, episode.discharged_on) == (days(0), "treatment", None)
    assignment = CaseAssignment.objects.get(client=client)
    assert (assignment.peer, assignment.assigned_by, assignment.ended_at) == (peer, peer, None)


def test_the_intake_page_shows_the_form(login, peer):
    response = login(peer).get(reverse("clients:intake"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="form_token"' in html and 'name="full_name"' in html
    assert "assign_to" not in response.context["form"].fields  # a peer enrols into their own caseload


def test_duplicate_check_catches_the_same_name_and_birth_date_written_differently(login, peer, program):
    existing = ClientFactory(program=program, primary_peer=peer, full_name="jose alvarez", birth_date=BORN)
    response = login(peer).post(reverse("clients:intake"), intake_data(full_name="José  Álvarez"))
    assert response.status_code == 200
    form = response.context["form"]
    assert [m.pk for m in form.matches] == [existing.pk]
    assert form.errors["duplicate_reason"] == [DUPLICATE_NEEDS_REASON]
    html = response.content.decode()
    assert reverse("clients:detail", args=[existing.uuid]) in html  # in scope: open their record
    assert Client.objects.count() == 1


def test_the_same_name_with_another_birth_date_warns_and_a_tick_lets_the_intake_continue(login, peer, program):
    existing = ClientFactory(program=program, primary_peer=peer, full_name="jose alvarez", birth_date=BORN,
                             phone="")
    http = login(peer)
    response = http.post(reverse("clients:intake"), intake_data(birth_date="1990-03-05"))
    assert response.status_code == 200
    form = response.context["form"]
    assert [(m.pk, m.match_reason) for m in form.matches] == [(existing.pk, SAME_NAME)]
    assert form.errors["not_the_same"] == [NEAR_MATCH_NEEDS_CONFIRMATION]
    assert "duplicate_reason" not in form.errors  # a near match asks for a tick, not a reason
    response = http.post(reverse("clients:intake"), intake_data(birth_date="1990-03-05", not_the_same="on"))
    assert response.status_code == 302
    assert Client.objects.count() == 2
    assert Client.objects.latest("pk").duplicate_reason == ""


@pytest.mark.parametrize(("existing_name", "typed_name"), [
    ("Robert Smith", "Bob Smith"),  # a nickname
    ("Smith Robert", "Robert Smith"),  # first and last name swapped
    ("Maria Lopez", "Marai Lopez"),  # one typo (two letters swapped)
    ("Maria Lopez", "Mariia Lopez"),  # one typo (a letter too many)
    ("Katherine Young", "Kate Young"),
])
def test_a_similar_name_born_the_same_day_is_a_possible_match(login, peer, program, existing_name, typed_name):
    existing = ClientFactory(program=program, primary_peer=peer, full_name=existing_name, birth_date=BORN, phone="")
    response = login(peer).post(reverse("clients:intake"), intake_data(full_name=typed_name, phone=""))
    assert response.status_code == 200
    assert [(m.pk, m.match_reason) for m in response.context["form"].matches] == [(existing.pk, SIMILAR_NAME)]
    assert "same date of birth, a similar name" in response.content.decode()


def test_another_name_born_the_same_day_is_no_match(login, peer, program):
    ClientFactory(program=program, primary_peer=peer, full_name="Anna Brown", birth_date=BORN, phone="")
    response = login(peer).post(reverse("clients:intake"), intake_data(full_name="John Smith", phone=""))
    assert response.status_code == 302


def test_the_same_phone_number_written_another_way_is_a_possible_match(login, peer, program):
    existing = ClientFactory(program=program, primary_peer=peer, full_name="Dana Fox", birth_date=BORN,
                             phone="(540) 555.0134")
    response = login(peer).post(reverse("clients:intake"), intake_data(full_name="Lee Park", birth_date="1985-01-02",
                                                                       phone="+1 540-555-0134"))
    assert [(m.pk, m.match_reason) for m in response.context["form"].matches] == [(existing.pk, SAME_PHONE)]


def test_near_duplicates_is_one_query_on_indexes(program, peer, django_assert_num_queries):
    ClientFactory.create_batch(3, program=program, primary_peer=peer, birth_date=BORN)
    with django_assert_num_queries(1):
        list(Client.objects.near_duplicates(program_id=program.pk, full_name="Jose Alvarez", birth_date=BORN,
                                            phone="540-555-0134"))
    names = [i.name for i in Client._meta.indexes]
    assert "client_birth_date_idx" in names and "client_phone_idx" in names


def test_a_near_match_out_of_scope_is_only_said_to_exist(login, peer, program, other_peer):
    theirs = ClientFactory(program=program, primary_peer=other_peer, full_name="Bob Alvarez", birth_date=BORN,
                           phone="")
    html = login(peer).post(reverse("clients:intake"), intake_data(full_name="Robert Alvarez")).content.decode()
    assert "A possible match exists that you cannot open" in html
    assert "another peer specialist" not in html and "a similar name" not in html  # no whose, no why
    assert str(theirs.uuid) not in html and "Bob Alvarez" not in html


def test_similar_names_rules():
    assert similar_names("william jones", "bill jones")
    assert similar_names("jones william", "william jones")
    assert not similar_names("ann lee", "anna leigh")
    assert not similar_names("al li", "al lu")  # too short for a typo to mean anything


def test_duplicate_check_is_per_program(login, peer, program, other_program, foreign_peer):
    ClientFactory(program=other_program, primary_peer=foreign_peer, full_name="Jose Alvarez", birth_date=BORN)
    assert login(peer).post(reverse("clients:intake"), intake_data()).status_code == 302


def test_possible_duplicates_is_one_indexed_query(program, peer, django_assert_num_queries):
    ClientFactory(program=program, primary_peer=peer, full_name="Jose Alvarez", birth_date=BORN)
    with django_assert_num_queries(1):
        matches = list(Client.objects.possible_duplicates(program_id=program.pk, full_name="JOSÉ ÁLVAREZ",
                                                          birth_date=BORN))
    assert len(matches) == 1
    assert "client_duplicate_idx" in [i.name for i in Client._meta.indexes]


def test_enrolling_anyway_needs_a_reason_which_is_kept(login, peer, program):
    ClientFactory(program=program, primary_peer=peer, full_name="jose alvarez", birth_date=BORN)
    reason = "Different person: another José Álvarez, different mother's name and address."
    response = login(peer).post(reverse("clients:intake"), intake_data(duplicate_reason=reason))
    assert response.status_code == 302
    new = Client.objects.latest("pk")
    assert new.duplicate_reason == reason


def test_an_exact_match_out_of_scope_reveals_nothing_and_the_new_record_is_flagged_for_a_supervisor(
        login, peer, program, other_peer):
    theirs = ClientFactory(program=program, primary_peer=other_peer, full_name="Jose Alvarez", birth_date=BORN)
    client = login(peer)
    response = client.post(reverse("clients:intake"), intake_data())
    html = response.content.decode()
    assert "A possible match exists that you cannot open" in html
    assert "another peer specialist" not in html and SAME_NAME_AND_BIRTH_DATE not in html
    assert str(theirs.uuid) not in html and "Why this is a different person" not in html
    response = client.post(reverse("clients:intake"), intake_data(not_the_same="on"))
    assert response.status_code == 302
    new = Client.objects.latest("pk")
    assert "supervisor or admin to check" in new.duplicate_reason  # the caseload row says "Possible duplicate"


def test_a_record_entered_in_error_is_no_match_at_intake(login, peer, program, admin):
    from clients.services.set_aside import client_set_aside

    mistaken = ClientFactory(program=program, primary_peer=peer, full_name="Jose Alvarez", birth_date=BORN)
    client_set_aside(client=mistaken, by=admin, reason="Typed twice.")
    assert login(peer).post(reverse("clients:intake"), intake_data()).status_code == 302


def test_rejected_intake_keeps_what_was_typed_and_shows_the_error_at_the_field(login, peer):
    future = days(3).isoformat()
    response = login(peer).post(reverse("clients:intake"), intake_data(birth_date=future))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["birth_date"] == [BIRTH_DATE_IN_FUTURE]
    html = response.content.decode()
    assert 'value="José  Álvarez"' in html and 'value="540-555-0134"' in html and f'value="{future}"' in html
    assert "is-invalid" in html
    assert Client.objects.count() == 0


def test_intake_date_in_the_future_is_rejected(login, peer):
    response = login(peer).post(reverse("clients:intake"), intake_data(started_on=days(2).isoformat()))
    assert response.context["form"].errors["started_on"] == [DATE_IN_FUTURE]


def test_double_submitted_intake_creates_one_participant(login, peer):
    client = login(peer)
    data = intake_data()
    first = client.post(reverse("clients:intake"), data)
    second = client.post(reverse("clients:intake"), data)
    assert Client.objects.count() == 1
    assert second.status_code == 302 and second.url == first.url


def test_supervisor_enrols_into_a_team_members_caseload(login, supervisor, peer, program):
    data = intake_data(assign_to=peer.pk)
    response = login(supervisor).post(reverse("clients:intake"), data)
    assert response.status_code == 302
    client = Client.objects.get()
    assert client.primary_peer == peer
    assert CaseAssignment.objects.get(client=client).assigned_by == supervisor


def test_supervisor_may_leave_a_new_participant_for_assignment(login, supervisor):
    assert login(supervisor).post(reverse("clients:intake"), intake_data(assign_to="")).status_code == 302
    client = Client.objects.get()
    assert client.primary_peer is None and not CaseAssignment.objects.exists()


def test_supervisor_cannot_enrol_into_another_teams_caseload(login, supervisor, other_team_peer):
    response = login(supervisor).post(reverse("clients:intake"), intake_data(assign_to=other_team_peer.pk))
    assert response.status_code == 200
    assert "assign_to" in response.context["form"].errors
    assert not Client.objects.exists()


@pytest.mark.parametrize("field", ["full_name", "birth_date", "started_on", "referral_source"])
def test_required_intake_fields(login, peer, field):
    response = login(peer).post(reverse("clients:intake"), intake_data(**{field: ""}))
    assert field in response.context["form"].errors

"""Referrals: made from the participant's page or a note, a follow-up made once per referral (double
submit), status changes with a date each (kept), completing the follow-up by recording the new status,
the 42 CFR Part 2 consent check, and scoping."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError
from django.urls import reverse

from clients.models import FollowUp
from referrals.models import Referral, ReferralEvent
from referrals.services import referral_update
from tests.factories import (
    ConsentFactory,
    GoalFactory,
    RecoveryPlanFactory,
    ResourceFactory,
    SessionNoteFactory,
    days,
    referral_for,
    resource_categories,
)


def form_data(http, url, **fields) -> dict:
    form = http.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else getattr(v, "pk", v)) for k, v in data.items()}
    data.pop("goal", None)
    return {**data, "reason": "Needs a sober place to live.", "method": "warm_handoff", **fields}


@pytest.fixture
def residence(program):
    return ResourceFactory(program=program, organisation="Harbor House Recovery Residence",
                           categories=["recovery-housing"])


def test_a_referral_from_the_participant_page_makes_one_referral_and_one_followup_even_if_sent_twice(
        login, peer, mine, residence, program):
    http = login(peer)
    url = reverse("referrals:referral_new", args=[mine.uuid]) + f"?resource={residence.uuid}"
    data = form_data(http, url, resource=str(residence.uuid))
    first = http.post(url, data)
    second = http.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    referral = Referral.objects.get()
    assert referral.organisation == residence.organisation and referral.resource == residence
    assert referral.category.code == "recovery-housing"
    assert referral.method == Referral.Method.WARM_HANDOFF and referral.status == Referral.Status.MADE
    followup = FollowUp.objects.get()
    assert referral.followup == followup
    assert followup.due_on == days(program.referral_followup_days) and followup.assignee == peer
    assert followup.purpose == f"Check whether {mine.display_name} connected with Harbor House Recovery Residence"
    assert list(referral.status_events.values_list("status", "on")) == [("made", days(0))]


def test_the_followup_delay_is_a_program_setting(login, peer, mine, residence, program):
    program.referral_followup_days = 3
    program.save()
    http = login(peer)
    url = reverse("referrals:referral_new", args=[mine.uuid]) + f"?resource={residence.uuid}"
    assert http.get(url).context["form"]["followup_on"].value() == days(3)


def test_a_referral_from_a_note_is_made_in_that_contact(login, peer, mine, residence):
    note = SessionNoteFactory(client=mine, session_date=days(-2))
    http = login(peer)
    url = reverse("referrals:referral_from_note", args=[note.uuid]) + f"?resource={residence.uuid}"
    form = http.get(url).context["form"]
    assert form["made_on"].value() == days(-2)
    http.post(url, form_data(http, url, resource=str(residence.uuid)))
    referral = Referral.objects.get()
    assert referral.from_note == note and referral.made_on == days(-2)
    page = http.get(note.get_absolute_url()).content.decode()
    assert "Referrals made in this contact" in page and referral.get_absolute_url() in page


def test_the_note_page_and_note_form_link_to_the_directory_for_a_referral(login, peer, mine):
    note = SessionNoteFactory(client=mine)
    http = login(peer)
    directory = reverse("referrals:resource_list") + f"?note={note.uuid}"
    assert directory in http.get(note.get_absolute_url()).content.decode()
    assert directory in http.get(reverse("clients:note_edit", args=[note.uuid])).content.decode()
    new_note = http.get(reverse("clients:note_new", args=[mine.uuid])).content.decode()
    assert reverse("referrals:resource_list") + f"?client={mine.uuid}" in new_note


def test_a_one_off_organisation_needs_its_name_and_a_rejected_form_keeps_what_was_typed(login, peer, mine):
    http = login(peer)
    url = reverse("referrals:referral_new", args=[mine.uuid])
    response = http.post(url, form_data(http, url, organisation="", reason="Typed reason"))
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert "Typed reason" in response.content.decode()
    http.post(url, form_data(http, url, organisation="Cousin's church food closet"))
    assert Referral.objects.get().resource is None


def test_a_referral_toward_a_goal_shows_on_the_plan(login, peer, mine, residence):
    plan = RecoveryPlanFactory(client=mine)
    goal = GoalFactory(plan=plan, text="Find a stable place to live")
    http = login(peer)
    url = reverse("referrals:referral_new", args=[mine.uuid]) + f"?resource={residence.uuid}"
    http.post(url, form_data(http, url, resource=str(residence.uuid), goal=goal.pk))
    assert Referral.objects.get().goal == goal
    page = http.get(plan.get_absolute_url()).content.decode()
    assert "Referrals toward these goals" in page and "Harbor House Recovery Residence" in page


# --- Status flow ------------------------------------------------------------------------------------

def test_status_goes_made_connected_completed_with_a_date_for_each_change(peer, mine, residence):
    referral = referral_for(mine, residence, made_on=days(-20))
    referral_update(referral=referral, by=peer, status="connected", on=days(-12))
    referral_update(referral=referral, by=peer, status="completed", on=days(-1), note="Moved in.")
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.status_on == days(-1)
    assert list(referral.status_events.values_list("status", "on")) == [
        ("made", days(-20)), ("connected", days(-12)), ("completed", days(-1))]
    assert referral.next_statuses() == ()


@pytest.mark.parametrize("reason", ["declined", "no_show", "not_eligible", "waitlisted", "unreachable"])
def test_not_completed_needs_a_reason(peer, mine, residence, reason):
    referral = referral_for(mine, residence, made_on=days(-5))
    with pytest.raises(ValidationError):
        referral_update(referral=referral, by=peer, status="not_completed", on=days(0))
    referral_update(referral=referral, by=peer, status="not_completed", on=days(0), reason=reason)
    referral.refresh_from_db()
    assert referral.status_text.startswith("Not completed: ") and referral.not_completed_reason == reason


def test_a_waitlisted_referral_may_still_connect_but_a_declined_one_is_closed(peer, mine, residence):
    waitlisted = referral_for(mine, residence, made_on=days(-5))
    referral_update(referral=waitlisted, by=peer, status="not_completed", on=days(-3), reason="waitlisted")
    referral_update(referral=waitlisted, by=peer, status="connected", on=days(0))
    declined = referral_for(mine, residence, made_on=days(-5))
    referral_update(referral=declined, by=peer, status="not_completed", on=days(-3), reason="declined")
    with pytest.raises(ValidationError):
        referral_update(referral=declined, by=peer, status="connected", on=days(0))


def test_a_change_cannot_be_dated_before_the_last_one(peer, mine, residence):
    referral = referral_for(mine, residence, made_on=days(-5))
    with pytest.raises(ValidationError) as error:
        referral_update(referral=referral, by=peer, status="connected", on=days(-6))
    assert "on" in error.value.message_dict


def test_status_history_rows_are_never_changed(peer, mine, residence):
    referral = referral_for(mine, residence)
    with pytest.raises(DatabaseError):  # no UPDATE grant for the runtime role, and a trigger behind it
        ReferralEvent.objects.filter(referral=referral).update(on=days(-100))


def test_completing_the_followup_asks_for_the_referrals_new_status(login, peer, mine, residence):
    referral = referral_for(mine, residence, made_on=days(-8), followup_on=days(-1))
    http = login(peer)
    page = http.get(referral.followup.get_absolute_url())
    assert "Record how it went" in page.content.decode() and page.context["done_form"] is not None
    assert reverse("referrals:referral_update", args=[referral.uuid]) in page.content.decode()
    # The plain "done" button does not close it without the referral's status.
    http.post(reverse("clients:followup_done", args=[referral.followup.uuid]), {})
    referral.followup.refresh_from_db()
    assert referral.followup.is_open
    response = http.post(reverse("referrals:referral_update", args=[referral.uuid]),
                         {"status": "connected", "on": days(0).isoformat()})
    assert response.status_code == 302
    referral.refresh_from_db()
    referral.followup.refresh_from_db()
    assert referral.status == "connected" and referral.followup.status == FollowUp.Status.DONE


def test_an_ordinary_followup_is_still_marked_done_with_one_click(login, peer, mine):
    from tests.factories import FollowUpFactory

    followup = FollowUpFactory(client=mine)
    login(peer).post(reverse("clients:followup_done", args=[followup.uuid]), {})
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE


def test_a_rejected_status_change_keeps_the_data_and_says_why_at_the_field(login, peer, mine, residence):
    referral = referral_for(mine, residence, made_on=days(-3))
    response = login(peer).post(reverse("referrals:referral_update", args=[referral.uuid]),
                                {"status": "not_completed", "on": days(0).isoformat(), "note": "Typed note"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert "Typed note" in response.content.decode()


# --- Scoping ----------------------------------------------------------------------------------------

def test_only_those_who_see_the_participant_see_the_referral(login, peer, other_peer, supervisor, admin, outsider,
                                                              mine, residence):
    referral = referral_for(mine, residence)
    url = referral.get_absolute_url()
    assert login(peer).get(url).status_code == 200
    for someone in (supervisor, admin):
        assert login(someone).get(url).status_code == 200
    for someone in (other_peer, outsider):
        assert login(someone).get(url).status_code == 404


def test_read_only_roles_cannot_change_a_referral(login, supervisor, other_peer, mine, residence):
    referral = referral_for(mine, residence)
    update = reverse("referrals:referral_update", args=[referral.uuid])
    data = {"status": "connected", "on": days(0).isoformat()}
    assert login(supervisor).post(update, data).status_code == 403
    assert login(other_peer).post(update, data).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "made"


def test_a_directory_entry_of_another_program_cannot_be_referred_to(login, peer, mine, other_program):
    foreign = ResourceFactory(program=other_program)
    url = reverse("referrals:referral_new", args=[mine.uuid]) + f"?resource={foreign.uuid}"
    assert login(peer).get(url).status_code == 404


def test_each_page_of_a_referral_writes_one_access_log_row(login, peer, mine, residence):
    from recovery.models import AccessLog

    referral = referral_for(mine, residence)
    http = login(peer)
    for url in (referral.get_absolute_url(), reverse("referrals:referral_list", args=[mine.uuid]),
                reverse("referrals:referral_new", args=[mine.uuid])):
        before = AccessLog.objects.count()
        http.get(url)
        assert AccessLog.objects.count() == before + 1, url


def test_the_categories_helper_loads_defaults(db):
    assert "recovery-housing" in resource_categories()


def test_a_shared_referral_without_consent_is_refused_by_the_database(peer, mine, residence):
    from django.db import transaction

    referral = referral_for(mine, residence)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(shares_information=True)
    assert ConsentFactory  # imported for the consent tests' module

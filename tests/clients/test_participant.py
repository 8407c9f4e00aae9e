"""The participant page, its access log and history (Done when 4), details, assignment, discharge, re-enrolment."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from clients import services
from clients.models import CaseAssignment, Client, Consent, Episode, RecoveryPlan
from recovery.models import AccessLog
from tests.factories import ClientFactory, ConsentFactory, RecoveryPlanFactory, days


def test_viewing_a_participant_writes_exactly_one_access_log_entry(login, world, admin):
    response = login(admin).get(reverse("clients:detail", args=[world.client.uuid]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.object_type) == (admin, AccessLog.Action.VIEW, "clients.client")
    assert entry.client_uuid == world.client.uuid and entry.object_id == str(world.client.uuid)
    assert entry.program_id == world.client.program_id and entry.ip == "10.1.2.3"


def test_the_participant_page_shows_summary_plan_consents_episodes_and_assignments(login, world, peer):
    html = login(peer).get(reverse("clients:detail", args=[world.client.uuid])).content.decode()
    assert world.client.full_name in html
    assert world.goal.text in html and "Home" in html and "Social" in html
    assert "Dr. Example, Valley Primary Care" in html
    assert "Episodes of service" in html and "Caseload assignment history" in html and "Recent changes" in html
    assert html.count("<h1") == 1


@pytest.mark.django_db(transaction=True)
def test_history_on_the_page_names_who_changed_what(login, peer, mine):
    client = login(peer)
    client.post(reverse("clients:edit", args=[mine.uuid]), {
        "full_name": mine.full_name, "birth_date": mine.birth_date.isoformat(), "phone": "540-555-0177"})
    changes = client.get(reverse("clients:detail", args=[mine.uuid])).context["sections"][-1].context["changes"]
    assert changes[0].who == peer.full_name
    assert changes[0].what == "Participant: phone changed"


def test_peer_edits_details_and_names_are_renormalised(login, peer, mine):
    response = login(peer).post(reverse("clients:edit", args=[mine.uuid]), {
        "full_name": "Mína  Minê", "preferred_name": "Mimi", "birth_date": "1985-06-15"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name_key, mine.search_text) == ("mina mine", "mina mine mimi")


def test_rejected_edit_keeps_the_typed_data(login, peer, mine):
    response = login(peer).post(reverse("clients:edit", args=[mine.uuid]), {
        "full_name": "Changed Name", "birth_date": days(1).isoformat()})
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors
    assert 'value="Changed Name"' in response.content.decode()
    mine.refresh_from_db()
    assert mine.full_name == "Mina Mine"


def test_supervisor_reassigns_and_the_history_follows(login, supervisor, peer, other_peer, mine):
    response = login(supervisor).post(reverse("clients:assign", args=[mine.uuid]),
                                      {"peer": other_peer.pk, "reason": "Pat is on leave."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.primary_peer == other_peer
    old, new = CaseAssignment.objects.filter(client=mine).order_by("pk")
    assert old.peer == peer and old.ended_at is not None
    assert (new.peer, new.assigned_by, new.reason, new.ended_at) == (other_peer, supervisor, "Pat is on leave.", None)


def test_after_reassignment_the_old_peer_loses_access(login, supervisor, peer, other_peer, mine):
    services.client_assign(client=mine, peer=other_peer, by=supervisor, reason="Moved")
    assert login(peer).get(reverse("clients:detail", args=[mine.uuid])).status_code == 404
    assert login(other_peer).get(reverse("clients:detail", args=[mine.uuid])).status_code == 200


def test_supervisor_assigns_a_participant_who_needs_assignment(login, supervisor, peer, unassigned):
    login(supervisor).post(reverse("clients:assign", args=[unassigned.uuid]), {"peer": peer.pk, "reason": "Fits"})
    unassigned.refresh_from_db()
    assert unassigned.primary_peer == peer


def test_supervisor_returns_a_participant_to_needs_assignment(login, supervisor, mine):
    login(supervisor).post(reverse("clients:assign", args=[mine.uuid]), {"peer": "", "reason": "Peer left"})
    mine.refresh_from_db()
    assert mine.primary_peer is None
    assert not CaseAssignment.objects.filter(client=mine, ended_at__isnull=True).exists()


def test_supervisor_cannot_assign_to_another_teams_peer(login, supervisor, other_team_peer, mine):
    response = login(supervisor).post(reverse("clients:assign", args=[mine.uuid]),
                                      {"peer": other_team_peer.pk, "reason": "x"})
    assert response.status_code == 200 and "peer" in response.context["form"].errors


def test_admin_assigns_to_anyone_carrying_in_the_program(login, admin, other_team_peer, mine):
    login(admin).post(reverse("clients:assign", args=[mine.uuid]), {"peer": other_team_peer.pk, "reason": "x"})
    mine.refresh_from_db()
    assert mine.primary_peer == other_team_peer


def test_assignment_needs_a_reason(login, supervisor, other_peer, mine):
    response = login(supervisor).post(reverse("clients:assign", args=[mine.uuid]), {"peer": other_peer.pk})
    assert "reason" in response.context["form"].errors


def test_discharge_closes_the_episode_the_plan_and_end_of_treatment_consents(login, peer, mine):
    plan = RecoveryPlanFactory(client=mine)
    until_discharge = ConsentFactory(client=mine, expiry_event=Consent.ExpiryEvent.END_OF_TREATMENT, expires_on=None)
    dated = ConsentFactory(client=mine)
    response = login(peer).post(reverse("clients:discharge", args=[mine.uuid]), {
        "discharged_on": days(0).isoformat(), "discharge_reason": "completed", "discharge_note": "Moving on well."})
    assert response.status_code == 302
    mine.refresh_from_db(), plan.refresh_from_db(), until_discharge.refresh_from_db(), dated.refresh_from_db()
    assert mine.status == Client.Status.DISCHARGED
    episode = Episode.objects.get(client=mine)
    assert (episode.discharged_on, episode.discharge_reason, episode.discharged_by) == (days(0), "completed", peer)
    assert (plan.status, plan.closed_on) == (RecoveryPlan.Status.CLOSED, days(0))
    assert until_discharge.expires_on == days(0)
    assert until_discharge.status_on(days(1)) == Consent.Status.EXPIRED
    assert dated.expires_on == days(355)


def test_discharge_before_intake_is_rejected_at_the_field(login, peer, mine):
    response = login(peer).post(reverse("clients:discharge", args=[mine.uuid]), {
        "discharged_on": days(-400).isoformat(), "discharge_reason": "moved"})
    assert "discharged_on" in response.context["form"].errors
    assert f'value="{days(-400).isoformat()}"' in response.content.decode()
    mine.refresh_from_db()
    assert mine.is_active


def test_a_discharged_participant_is_re_enrolled_with_a_new_episode(login, peer, mine):
    services.episode_discharge(client=mine, by=peer, discharged_on=days(-5), reason="lost_contact")
    client = login(peer)
    data = {"started_on": days(0).isoformat(), "referral_source": "self", "referral_detail": "",
            "form_token": "3f2b8c1e-0000-4000-8000-000000000001"}
    assert client.post(reverse("clients:reenrol", args=[mine.uuid]), data).status_code == 302
    assert client.post(reverse("clients:reenrol", args=[mine.uuid]), data).status_code == 302
    mine.refresh_from_db()
    assert mine.status == Client.Status.ACTIVE
    assert Episode.objects.filter(client=mine).count() == 2
    assert Episode.objects.filter(client=mine, discharged_on__isnull=True).count() == 1


def test_re_enrolment_cannot_start_before_the_last_discharge(login, peer, mine):
    services.episode_discharge(client=mine, by=peer, discharged_on=days(-5), reason="moved")
    response = login(peer).post(reverse("clients:reenrol", args=[mine.uuid]), {
        "started_on": days(-6).isoformat(), "referral_source": "self",
        "form_token": "3f2b8c1e-0000-4000-8000-0000000000aa"})
    assert response.status_code == 200 and "started_on" in response.context["form"].errors


def test_the_database_allows_one_open_episode_per_participant(mine, peer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(client=mine, started_on=days(0), referral_source="self", created_by=peer)


def test_participants_are_never_deleted(program, supervisor):
    bare = ClientFactory(program=program, primary_peer=None, created_by=supervisor, episode=False)
    with pytest.raises(DatabaseError), transaction.atomic():
        Client.objects.filter(pk=bare.pk).delete()


def test_the_participant_is_not_named_in_the_access_log_or_download_names(login, world, peer):
    client = login(peer)
    client.get(reverse("clients:detail", args=[world.client.uuid]))
    response = client.get(reverse("clients:consent_scan", args=[world.consent.uuid]))
    assert "Mina" not in response["Content-Disposition"]
    for entry in AccessLog.objects.all():
        assert "Mina" not in f"{entry.object_id} {entry.path} {entry.reason} {entry.object_type}"


def test_factory_participant_without_assignment_needs_assignment(program, supervisor):
    client = ClientFactory(program=program, primary_peer=None, created_by=supervisor)
    assert list(Client.objects.needing_assignment()) == [client]


def test_the_reassign_choices_show_each_peers_caseload_in_one_query(
        login, supervisor, peer, other_peer, mine, program, django_assert_max_num_queries):
    ClientFactory.create_batch(3, program=program, primary_peer=other_peer)
    ClientFactory(program=program, primary_peer=other_peer, status=Client.Status.DISCHARGED)
    http = login(supervisor)
    with django_assert_max_num_queries(20):
        html = http.get(reverse("clients:assign", args=[mine.uuid])).content.decode()
    assert f"{peer.full_name} (1 participant)</option>" in html  # mine
    assert f"{other_peer.full_name} (3 participants)</option>" in html  # discharged ones are not carried
    ClientFactory.create_batch(10, program=program, primary_peer=peer)
    with django_assert_max_num_queries(20):
        assert f"{peer.full_name} (11 participants)" in http.get(
            reverse("clients:assign", args=[mine.uuid])).content.decode()


def test_a_supervisors_intake_shows_each_peers_caseload(login, supervisor, peer, mine):
    html = login(supervisor).get(reverse("clients:intake")).content.decode()
    assert f"{peer.full_name} (1 participant)</option>" in html

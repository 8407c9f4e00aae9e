"""The caseload page: whose participants each role sees, search, filters and "needs assignment"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clients import services
from clients.models import Client, Consent
from recovery.models import AccessLog
from tests.factories import ClientFactory, ConsentFactory, RecoveryPlanFactory, days


def names(response) -> set[str]:
    return {client.full_name for client, _ in response.context["rows"]}


def search(client, text: str, **filters):
    """The search as the page sends it: posted (a name never goes in a URL), then the results page."""
    return client.post(reverse("clients:caseload"), {"q": text, **filters}, follow=True)


@pytest.fixture
def everybody(mine, theirs, other_team, unassigned, foreign):
    return None


def test_peer_sees_their_own_caseload(login, peer, everybody):
    assert names(login(peer).get(reverse("clients:caseload"))) == {"Mina Mine"}


def test_supervisor_sees_their_team_and_those_needing_assignment(login, supervisor, everybody):
    response = login(supervisor).get(reverse("clients:caseload"))
    assert names(response) == {"Mina Mine", "Theo Theirs", "Una Unassigned"}
    assert [c.full_name for c in response.context["unassigned"]] == ["Una Unassigned"]


def test_admin_sees_the_whole_program(login, admin, everybody):
    response = login(admin).get(reverse("clients:caseload"))
    assert names(response) == {"Mina Mine", "Theo Theirs", "Otis Otherteam", "Una Unassigned"}


def test_supervisor_filters_by_a_peer_of_their_team(login, supervisor, other_peer, other_team_peer, everybody):
    client = login(supervisor)
    assert names(client.get(reverse("clients:caseload"), {"peer": other_peer.pk})) == {"Theo Theirs"}
    assert names(client.get(reverse("clients:caseload"), {"peer": 0})) == {"Una Unassigned"}
    # A peer of another team is not a choice: the filter is ignored, nothing leaks.
    response = client.get(reverse("clients:caseload"), {"peer": other_team_peer.pk})
    assert "Otis Otherteam" not in names(response)


def test_search_by_name_ignores_case_accents_and_word_order(login, peer, program):
    ClientFactory(program=program, primary_peer=peer, full_name="José Álvarez", preferred_name="Pepe")
    ClientFactory(program=program, primary_peer=peer, full_name="Joan Smith")
    client = login(peer)
    assert names(search(client, "jose")) == {"José Álvarez"}
    assert names(search(client, "ALVA jo")) == {"José Álvarez"}
    assert names(search(client, "pepe")) == {"José Álvarez"}
    assert names(search(client, "jo")) == {"José Álvarez", "Joan Smith"}
    assert names(search(client, "'&|!(")) == {"José Álvarez", "Joan Smith"}


def test_search_uses_the_name_index(program, peer):
    from django.db import connection

    queryset = Client.objects.search("jose alv")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "client_search_idx" in plan


def test_status_filter_shows_discharged_participants_on_request(login, peer, mine, program):
    gone = ClientFactory(program=program, primary_peer=peer, full_name="Gwen Gone")
    services.episode_discharge(client=gone, by=peer, discharged_on=days(0), reason="moved")
    client = login(peer)
    assert names(client.get(reverse("clients:caseload"))) == {"Mina Mine"}
    assert names(client.get(reverse("clients:caseload"), {"status": "discharged"})) == {"Gwen Gone"}
    assert names(client.get(reverse("clients:caseload"), {"status": "all"})) == {"Mina Mine", "Gwen Gone"}


def test_consent_status_filter(login, peer, program):
    lasting = ClientFactory(program=program, primary_peer=peer, full_name="Lasting Consent")
    ConsentFactory(client=lasting)
    expiring = ClientFactory(program=program, primary_peer=peer, full_name="Expiring Consent")
    ConsentFactory(client=expiring, expires_on=days(12))
    revoked = ClientFactory(program=program, primary_peer=peer, full_name="Revoked Consent")
    ConsentFactory(client=revoked, revoked_on=days(0), revocation_method=Consent.RevocationMethod.WRITING)
    ClientFactory(program=program, primary_peer=peer, full_name="Never Consented")
    client = login(peer)
    url = reverse("clients:caseload")
    assert names(client.get(url, {"consent": "active"})) == {"Lasting Consent"}
    assert names(client.get(url, {"consent": "expiring"})) == {"Expiring Consent"}
    assert names(client.get(url, {"consent": "none"})) == {"Revoked Consent", "Never Consented"}


def test_plan_review_filter(login, peer, program):
    due = ClientFactory(program=program, primary_peer=peer, full_name="Review Due")
    RecoveryPlanFactory(client=due, review_on=days(5))
    later = ClientFactory(program=program, primary_peer=peer, full_name="Review Later")
    RecoveryPlanFactory(client=later, review_on=days(60))
    ClientFactory(program=program, primary_peer=peer, full_name="No Plan")
    response = login(peer).get(reverse("clients:caseload"), {"review": "due"})
    assert names(response) == {"Review Due", "No Plan"}


def test_rows_show_review_date_consent_status_and_flags(login, peer, program):
    overdue = ClientFactory(program=program, primary_peer=peer, full_name="Ollie Overdue")
    RecoveryPlanFactory(client=overdue, started_on=days(-100), review_on=days(-3))
    response = login(peer).get(reverse("clients:caseload"))
    (row, flags), = response.context["rows"]
    assert row.plan_review_on == days(-3) and row.consent_status() == Client.ConsentStatus.NONE
    assert flags == ["No consent in force", "Plan review overdue"]
    html = response.content.decode()
    assert "Plan review overdue" in html and "No consent in force" in html


def test_unknown_filter_values_fall_back_to_defaults(login, peer, mine):
    response = login(peer).get(reverse("clients:caseload"), {"status": "bogus", "consent": "x", "page": "999"})
    assert response.status_code == 200 and names(response) == {"Mina Mine"}


def test_peer_has_no_needs_assignment_list_or_peer_filter(login, peer, everybody):
    response = login(peer).get(reverse("clients:caseload"))
    assert response.context["unassigned"] is None
    assert "peer" not in response.context["form"].fields


def test_caseload_reads_are_logged_without_names(login, peer, mine):
    search(login(peer), "mina")
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_type, entry.client_uuid) == ("search", "clients.caseload", None)
    assert "mina" not in entry.reason.lower() and entry.program_id == mine.program_id


def test_admin_sees_an_enrol_button_only_if_they_can_enrol(login, admin, peer):
    assert reverse("clients:intake") not in login(admin).get(reverse("clients:caseload")).content.decode()
    assert reverse("clients:intake") in login(peer).get(reverse("clients:caseload")).content.decode()


def test_the_consent_and_plan_review_windows_follow_the_program_rules_the_admin_sets(login, peer, program):
    """One source: the caseload reads the same Program fields as the reminders, and follows their change."""
    consenting = ClientFactory(program=program, primary_peer=peer, full_name="Carla Consent")
    ConsentFactory(client=consenting, expires_on=days(20))
    reviewing = ClientFactory(program=program, primary_peer=peer, full_name="Rita Review")
    RecoveryPlanFactory(client=reviewing, review_on=days(10))
    client = login(peer)
    url = reverse("clients:caseload")
    program.consent_expiring_days, program.plan_review_due_days = 30, 14
    program.save()
    assert names(client.get(url, {"consent": "expiring"})) == {"Carla Consent"}
    assert names(client.get(url, {"review": "due"})) == {"Rita Review", "Carla Consent"}  # Carla has no plan
    flags = dict((c.full_name, f) for c, f in client.get(url).context["rows"])
    assert "Plan review due soon" in flags["Rita Review"]

    program.consent_expiring_days, program.plan_review_due_days = 7, 5
    program.save()
    assert names(client.get(url, {"consent": "expiring"})) == set()
    assert names(client.get(url, {"consent": "active"})) == {"Carla Consent"}
    assert names(client.get(url, {"review": "due"})) == {"Carla Consent"}
    flags = dict((c.full_name, f) for c, f in client.get(url).context["rows"])
    assert "Plan review due soon" not in flags["Rita Review"]

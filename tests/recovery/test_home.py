import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recovery.models import AccessLog, Membership
from tests.factories import ClientFactory, MembershipFactory, UserFactory, make_staff


def test_my_day_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_peer_sees_program_role_and_supervisor(login, peer, supervisor, program):
    html = login(peer).get(reverse("home")).content.decode()
    assert "<h1" in html and "My day" in html
    assert program.name in html
    assert "Peer specialist" in html
    assert supervisor.full_name in html


def test_supervisor_sees_their_supervisees_only(login, supervisor, peer, other_peer, other_team_peer):
    html = login(supervisor).get(reverse("home")).content.decode()
    assert peer.full_name in html and other_peer.full_name in html
    assert other_team_peer.full_name not in html


def test_admin_sees_staff_counts(login, admin, peer, other_peer, supervisor):
    response = login(admin).get(reverse("home"))
    team = next(s for s in response.context["sections"] if s.template == "recovery/includes/my_day_team.html")
    counts = dict(team.context["staff_counts"])
    assert counts == {"Peer specialist": 2, "Supervisor": 1, "Program admin": 1}


def test_outsider_sees_only_their_own_program(login, outsider, program, peer):
    html = login(outsider).get(reverse("home")).content.decode()
    assert program.name not in html
    assert peer.full_name not in html


def test_user_without_a_program_is_told_so(login, db):
    response = login(UserFactory()).get(reverse("home"))
    assert response.status_code == 403
    assert "not part of a program" in response.content.decode()


def test_navigation_shows_my_day_and_notifications(login, peer):
    html = login(peer).get(reverse("home")).content.decode()
    assert ">My day<" in html
    assert "Notifications" in html


def test_user_with_two_programs_can_switch(login, peer, other_program):
    MembershipFactory(user=peer, program=other_program, role=Membership.Role.SUPERVISOR)
    client = login(peer)
    assert other_program.name in client.get(reverse("home")).content.decode()
    client.post(reverse("switch_program"), {"program": other_program.pk})
    response = client.get(reverse("home"))
    assert response.context["membership"].program == other_program
    assert response.context["membership"].role == Membership.Role.SUPERVISOR


def test_switching_to_a_program_one_is_not_in_is_ignored(login, peer, other_program, program):
    client = login(peer)
    client.post(reverse("switch_program"), {"program": other_program.pk})
    assert client.get(reverse("home")).context["membership"].program == program


def test_switch_program_is_post_only(login, peer):
    assert login(peer).get(reverse("switch_program")).status_code == 405


@pytest.mark.parametrize("team_size", [3, 60])
def test_my_day_query_count_does_not_grow_with_team(login, program, django_assert_max_num_queries, team_size):
    boss = make_staff(program, Membership.Role.SUPERVISOR)
    for _ in range(team_size):
        make_staff(program, Membership.Role.PEER, supervisor=boss)
    client = login(boss)
    # 16: with the team's crisis flags, people not seen and notes to review (issue 15, point 9)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("home")).status_code == 200


def test_my_days_sections_log_their_lists_in_one_insert(login, supervisor, program):
    ClientFactory(program=program, primary_peer=supervisor)  # a supervisor who carries participants
    http = login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        assert http.get(reverse("home")).status_code == 200
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "recovery_accesslog"' in q["sql"]]
    assert len(inserts) == 1
    logged = AccessLog.objects.filter(user=supervisor, action=AccessLog.Action.LIST)
    assert sorted(logged.values_list("object_type", flat=True)) == [
        "clients.my_day", "outcomes.my_day", "supervision.my_day"]

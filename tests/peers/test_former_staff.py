"""Marking someone as former staff hands their participants on in the same step: no participant is ever out of
every supervisor's sight, and each hand-over is in the assignment history like any reassignment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clients.handover import CHOOSE_A_PEER, NOT_A_CANDIDATE, staff_handover
from clients.models import CaseAssignment, Client
from recovery.models import Membership, User
from recovery.scoping import forget_reach
from tests.factories import ClientFactory, MembershipFactory, bulk_clients, make_staff, membership_of

REASON = "Left the program."


def url(user) -> str:
    return reverse("clients:staff_handover", args=[user.uuid])


def field(client) -> str:
    return f"participant_{client.uuid}"


@pytest.fixture
def carried(program, peer):
    return [ClientFactory(program=program, primary_peer=peer) for _ in range(3)]


def visible_to(user, clients) -> set[Client]:
    forget_reach(user)
    user = User.objects.get(pk=user.pk)  # fresh: no cached memberships or reach
    return set(Client.objects.visible_to(user).filter(pk__in=[c.pk for c in clients]))


def test_someone_who_carries_nobody_is_made_former_staff_without_a_step(login, admin, program, other_peer):
    client = login(admin)
    response = client.get(url(other_peer))
    assert response.status_code == 200
    assert "mode" not in response.context["form"].fields
    response = client.post(url(other_peer), {"reason": REASON})
    assert response.status_code == 302
    assert not membership_of(other_peer, program).is_active


def test_the_profile_form_cannot_make_anyone_former_staff(login, admin, program, other_peer):
    """Former staff are made one way only, by the step above (it ends their sessions and hands their
    participants on); the profile form has no such field and ignores one posted to it."""
    client = login(admin)
    response = client.get(reverse("peers:profile_edit", args=[other_peer.uuid]))
    assert "is_active" not in response.context["form"].fields
    assert url(other_peer) in response.content.decode()
    response = client.post(reverse("peers:profile_edit", args=[other_peer.uuid]), {"is_active": ""})
    assert response.status_code == 302
    assert membership_of(other_peer, program).is_active


def test_all_participants_go_to_one_peer_in_one_post(login, admin, program, peer, other_peer, supervisor, carried):
    response = login(admin).post(url(peer), {"mode": "one", "peer": str(other_peer.uuid), "reason": REASON})

    assert response.status_code == 302 and response.url == reverse("peers:staff_detail", args=[peer.uuid])
    assert not membership_of(peer, program).is_active
    for c in carried:
        c.refresh_from_db()
        assert c.primary_peer == other_peer
        history = list(CaseAssignment.objects.filter(client=c).order_by("started_at", "pk"))
        assert [(a.peer, a.ended_at is None) for a in history] == [(peer, False), (other_peer, True)]
        assert (history[-1].assigned_by, history[-1].reason) == (admin, REASON)
    assert visible_to(supervisor, carried) == set(carried)  # other_peer's supervisor


def test_participants_are_handed_on_one_by_one(login, admin, program, peer, other_peer, supervisor, carried):
    first, second, third = carried
    data = {"mode": "each", "reason": REASON, field(first): str(other_peer.uuid), field(second): str(supervisor.uuid),
            field(third): ""}
    assert login(admin).post(url(peer), data).status_code == 302
    for c in carried:
        c.refresh_from_db()
    assert (first.primary_peer, second.primary_peer, third.primary_peer) == (other_peer, supervisor, None)
    assert not CaseAssignment.objects.filter(client=third, ended_at__isnull=True).exists()
    assert not membership_of(peer, program).is_active


def test_participants_go_to_needs_assignment_where_every_supervisor_sees_them(
        login, admin, program, peer, supervisor, other_supervisor, carried):
    assert login(admin).post(url(peer), {"mode": "none", "reason": REASON}).status_code == 302
    assert set(Client.objects.needing_assignment().filter(program=program)) == set(carried)
    for someone in (supervisor, other_supervisor, admin):
        assert visible_to(someone, carried) == set(carried)


def test_after_deactivation_every_former_participant_is_seen_by_a_supervisor_and_the_admin(
        login, admin, program, peer, other_peer, supervisor, other_supervisor, carried):
    discharged = ClientFactory(program=program, primary_peer=peer, status=Client.Status.DISCHARGED)
    everyone = [*carried, discharged]
    data = {"mode": "each", "reason": REASON, field(carried[0]): str(other_peer.uuid)}
    assert login(admin).post(url(peer), data).status_code == 302
    for c in everyone:
        assert any(c in visible_to(s, [c]) for s in (supervisor, other_supervisor)), c.pk
        assert c in visible_to(admin, [c])


@pytest.mark.parametrize("deactivate", ["membership", "account"])
def test_supervisors_still_see_participants_of_a_peer_made_inactive_elsewhere(
        deactivate, program, peer, supervisor, other_supervisor, carried):
    """The safety net: whatever made the peer inactive (the Django admin, a script), their participants
    are "needs assignment" for every supervisor of the program."""
    if deactivate == "membership":
        Membership.objects.filter(user=peer, program=program).update(is_active=False)
    else:
        User.objects.filter(pk=peer.pk).update(is_active=False)
    for someone in (supervisor, other_supervisor):
        assert visible_to(someone, carried) == set(carried)
    assert set(Client.objects.needing_assignment()) == set(carried)


def test_a_supervisor_does_not_see_another_teams_participants_while_their_peer_works(
        program, other_supervisor, carried):
    assert visible_to(other_supervisor, carried) == set()


@pytest.mark.parametrize("choice", ["other_program_peer", "inactive_peer", "leaver", "nonsense"])
def test_a_peer_who_cannot_take_them_is_a_field_error_and_the_form_keeps_the_choices(
        choice, login, admin, program, other_program, peer, other_peer, carried):
    others = {
        "other_program_peer": lambda: make_staff(other_program, Membership.Role.PEER).uuid,
        "inactive_peer": lambda: MembershipFactory(program=program, role=Membership.Role.PEER, is_active=False)
        .user.uuid,
        "leaver": lambda: peer.uuid,
        "nonsense": lambda: "not-a-person",
    }
    wrong = str(others[choice]())
    data = {"mode": "each", "reason": "Moved away", field(carried[0]): str(other_peer.uuid), field(carried[1]): wrong}
    response = login(admin).post(url(peer), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field(carried[1])] == [NOT_A_CANDIDATE]
    assert form[field(carried[0])].value() == str(other_peer.uuid)
    assert form["reason"].value() == "Moved away" and form["mode"].value() == "each"
    assert membership_of(peer, program).is_active
    assert all(Client.objects.get(pk=c.pk).primary_peer == peer for c in carried)

    response = login(admin).post(url(peer), {"mode": "one", "peer": wrong, "reason": REASON})
    assert response.context["form"].errors["peer"] == [NOT_A_CANDIDATE]


def test_giving_them_all_to_one_person_needs_that_person(login, admin, program, peer, carried):
    response = login(admin).post(url(peer), {"mode": "one", "peer": "", "reason": REASON})
    assert response.context["form"].errors["peer"] == [CHOOSE_A_PEER]
    assert membership_of(peer, program).is_active


def test_a_double_submit_creates_one_set_of_assignments(login, admin, program, peer, other_peer, carried):
    client = login(admin)
    data = {"mode": "one", "peer": str(other_peer.uuid), "reason": REASON}
    assert client.post(url(peer), data).status_code == 302
    assert client.post(url(peer), data).status_code == 302
    assert CaseAssignment.objects.filter(client__in=carried).count() == 2 * len(carried)
    assert CaseAssignment.objects.filter(client__in=carried, peer=other_peer).count() == len(carried)


def test_a_double_submit_of_the_service_does_nothing_twice(program, admin, peer, other_peer, carried):
    membership = membership_of(peer, program)
    peer_of = {c.pk: other_peer for c in carried}
    assert staff_handover(membership=membership, by=admin, reason=REASON, peer_of=peer_of) == 3
    assert staff_handover(membership=membership, by=admin, reason=REASON, peer_of=peer_of) is None
    assert CaseAssignment.objects.filter(client__in=carried, peer=other_peer).count() == 3


def test_the_choice_shows_each_candidates_caseload_size(login, admin, program, peer, other_peer, supervisor,
                                                        carried):
    ClientFactory(program=program, primary_peer=other_peer)
    ClientFactory(program=program, primary_peer=other_peer)
    ClientFactory(program=program, primary_peer=other_peer, status=Client.Status.DISCHARGED)
    response = login(admin).get(url(peer))
    choices = dict(response.context["form"].fields["peer"].choices)
    assert choices[str(other_peer.uuid)] == f"{other_peer.full_name} (2 participants)"
    assert choices[str(supervisor.uuid)] == f"{supervisor.full_name} (0 participants)"
    assert str(peer.uuid) not in choices and str(admin.uuid) not in choices
    assert f"{other_peer.full_name} (2 participants)" in response.content.decode()


def test_each_role_gets_what_the_staff_pages_give(login, client, program, admin, peer, other_peer, supervisor,
                                                  other_supervisor, outsider, carried):
    expected = {peer: 403, other_peer: 404, supervisor: 403, other_supervisor: 404, outsider: 404, admin: 200}
    for user, status in expected.items():
        assert login(user).get(url(peer)).status_code == status, user
        if status != 200:
            response = login(user).post(url(peer), {"mode": "none", "reason": REASON})
            assert response.status_code == status, user
    assert membership_of(peer, program).is_active
    client.logout()
    response = client.get(url(peer))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_admin_cannot_mark_themselves_as_former_staff(login, admin):
    assert login(admin).get(url(admin)).status_code == 403


def test_a_former_staff_member_page_sends_back_to_their_record(login, admin, program, other_peer):
    Membership.objects.filter(user=other_peer, program=program).update(is_active=False)
    response = login(admin).get(url(other_peer))
    assert response.status_code == 302 and response.url == reverse("peers:staff_detail", args=[other_peer.uuid])


def test_the_page_and_the_post_keep_a_fixed_query_budget_with_200_participants(
        login, admin, program, peer, other_peer, supervisor, django_assert_max_num_queries):
    bulk_clients(program, peer, 200)
    for n in range(10):
        make_staff(program, Membership.Role.PEER, supervisor=supervisor, email=f"cand{n}@example.org")
    client = login(admin)
    with django_assert_max_num_queries(12):
        response = client.get(url(peer))
    assert len(response.context["form"].participant_fields()) == 200
    with django_assert_max_num_queries(22):
        response = client.post(url(peer), {"mode": "one", "peer": str(other_peer.uuid), "reason": REASON})
    assert response.status_code == 302
    assert Client.objects.filter(primary_peer=other_peer).count() == 200
    assert CaseAssignment.objects.filter(peer=other_peer, ended_at__isnull=True).count() == 200


def test_the_caseload_needs_assignment_filter_lists_participants_of_a_peer_made_inactive(
        login, program, peer, supervisor, carried):
    """The caseload's "Needs assignment" filter answers the same question as the list above it: a
    participant whose peer no longer works in the program needs assignment too."""
    Membership.objects.filter(user=peer, program=program).update(is_active=False)
    forget_reach(supervisor)
    response = login(supervisor).get(reverse("clients:caseload"), {"peer": 0})
    assert {client for client, _ in response.context["rows"]} == set(carried)

"""Query budgets: every page runs the same number of queries with few rows and with many (Done when 5)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import CaseAssignment, Episode, GoalProgress, Objective, RecoveryPlan
from clients.services.notes import note_sign
from tests.factories import ActionStepFactory, ConsentFactory, GoalFactory, SessionNoteFactory, bulk_clients, days

GET_PAGES = [
    ("detail", "client"), ("edit", "client"), ("discharge", "client"), ("consent_new", "client"),
    ("plan_detail", "plan"), ("plan_edit", "plan"), ("goal_new", "plan"), ("goal_edit", "goal"),
    ("step_new", "goal"), ("progress_new", "goal"), ("step_edit", "step"), ("consent_detail", "consent"),
    ("consent_revoke", "consent"), ("consent_scan", "consent"), ("objective_new", "goal"),
]
PAGE_BUDGET = 30
# The participant page also carries the outcomes section (latest check-ins and their instrument) and the
# referrals section (open and past referrals: two queries) and the records section (latest documents and
# disclosures: two queries).
PAGE_BUDGETS = {"detail": 35}
CASELOAD_BUDGET = 16


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(world, peer) -> None:
    """Many rows everywhere the pages read: goals, objectives, steps, progress, notes that worked on the goals,
    consents, episodes, assignments, versions."""
    for n in range(12):
        goal = GoalFactory(plan=world.plan, dimension_codes=["health", "purpose", "spiritual"])
        objectives = [Objective.objects.create(goal=goal, text=f"Objective {n}.{k}", target_on=days(30), position=k)
                      for k in range(3)]
        for k in range(4):
            ActionStepFactory(goal=goal, objective=objectives[k] if k < 3 else None)
        for k in range(3):
            GoalProgress.objects.create(goal=goal, noted_on=days(-k), text=f"Progress {n}.{k}", author=peer)
        for k in range(2):
            note = SessionNoteFactory(client=world.client, session_date=days(-k - 1))
            note.goals.set([goal])
            note_sign(note=note, by=peer)
    for _ in range(15):
        ConsentFactory(client=world.client)
    for k in range(8):
        start = datetime.date(2010 + k, 1, 1)
        Episode.objects.create(client=world.client, started_on=start, discharged_on=start.replace(month=6),
                               discharge_reason="moved",
                               referral_source=Episode.ReferralSource.SELF, created_by=peer)
    for k in range(8):
        CaseAssignment.objects.create(client=world.client, peer=peer, assigned_by=peer, reason="Earlier",
                                      started_at=f"201{k}-01-01T00:00Z", ended_at=f"201{k}-02-01T00:00Z")
    # Earlier versions of the plan (the world's plan stays the current one).
    RecoveryPlan.objects.filter(pk=world.plan.pk).update(version=9)
    for version in range(1, 9):
        RecoveryPlan.objects.create(client=world.client, version=version, status=RecoveryPlan.Status.SUPERSEDED,
                                    started_on=days(-400), closed_on=days(-300), created_by=peer)


@pytest.mark.parametrize(("name", "target"), GET_PAGES)
def test_page_runs_a_fixed_number_of_queries(login, world, peer, name, target):
    client = login(peer)
    url = reverse(f"clients:{name}", args=[getattr(world, target).uuid])
    few = count_queries(client, url)
    grow(world, peer)
    many = count_queries(client, url)
    assert few == many, f"{name}: {few} queries with few rows, {many} with many"
    assert many <= PAGE_BUDGETS.get(name, PAGE_BUDGET)


def test_participant_page_as_supervisor_and_admin_stays_fixed(login, world, peer, supervisor, admin):
    url = reverse("clients:detail", args=[world.client.uuid])
    few = {u: count_queries(login(u), url) for u in (supervisor, admin)}
    grow(world, peer)
    assert {u: count_queries(login(u), url) for u in (supervisor, admin)} == few


@pytest.mark.parametrize("role", ["peer", "supervisor", "admin"])
def test_caseload_runs_the_same_queries_with_5_and_with_1000_participants(login, program, peer, supervisor, admin,
                                                                          role):
    user = {"peer": peer, "supervisor": supervisor, "admin": admin}[role]
    client = login(user)
    bulk_clients(program, peer, 5)
    bulk_clients(program, None, 2, prefix="Unassigned", created_by=supervisor)
    url = reverse("clients:caseload")
    few = count_queries(client, url)
    searched = client.post(url, {"q": "person", "consent": "none", "review": "due", "status": "all"}).url
    searched_few = count_queries(client, searched)
    bulk_clients(program, peer, 995, prefix="More")
    bulk_clients(program, None, 40, prefix="Waiting", created_by=supervisor)
    many = count_queries(client, url)
    searched_many = count_queries(client, searched)
    assert (few, searched_few) == (many, searched_many)
    assert many <= CASELOAD_BUDGET
    # The peer's own 1,000; supervisors and admins also see the 42 waiting for assignment.
    assert client.get(url).context["page"].paginator.count == (1000 if role == "peer" else 1042)


def test_caseload_query_budget_holds(login, program, peer, django_assert_max_num_queries):
    bulk_clients(program, peer, 1000)
    client = login(peer)
    with django_assert_max_num_queries(CASELOAD_BUDGET):
        assert client.get(reverse("clients:caseload")).status_code == 200


def test_caseload_with_many_participants_is_paginated(login, program, peer):
    bulk_clients(program, peer, 60)
    response = login(peer).get(reverse("clients:caseload") + "?page=3")
    assert response.context["page"].number == 3
    assert len(response.context["rows"]) == 10

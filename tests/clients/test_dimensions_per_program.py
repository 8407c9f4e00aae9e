"""Issue 14, point 3: recovery dimensions are each program's own list, edited on the reference pages."""

from __future__ import annotations

import importlib
import uuid

from django.apps import apps as django_apps
from django.urls import reverse

from clients.models import Dimension, GoalDimension, RecoveryPlan
from recovery.models import Membership
from tests.factories import ClientFactory, GoalFactory, RecoveryPlanFactory, dimensions, make_staff


def token() -> str:
    return str(uuid.uuid4())


MIGRATION = importlib.import_module("clients.migrations.0019_dimensions_per_program_and_set_aside")


def test_a_goal_form_offers_only_the_participants_programs_dimensions(login, peer, mine, other_program):
    plan = RecoveryPlanFactory(client=mine)
    theirs = dimensions(other_program)
    offered = login(peer).get(reverse("clients:goal_new", args=[plan.uuid])).context["form"].fields["dimensions"]
    assert set(offered.queryset.values_list("program_id", flat=True)) == {mine.program_id}
    assert offered.queryset.count() == 12
    assert not set(offered.queryset) & set(theirs.values())


def test_another_programs_dimension_is_refused_on_a_goal(login, peer, mine, other_program):
    plan = RecoveryPlanFactory(client=mine)
    elsewhere = dimensions(other_program)["home"]
    response = login(peer).post(reverse("clients:goal_new", args=[plan.uuid]),
                                {"text": "My own place.", "dimensions": [elsewhere.pk], "form_token": token()})
    assert response.status_code == 200
    assert "dimensions" in response.context["form"].errors
    assert not plan.goals.exists()


def test_a_dimension_retired_in_one_program_is_still_offered_in_another(login, peer, mine, other_program):
    plan = RecoveryPlanFactory(client=mine)
    other_peer = make_staff(other_program, Membership.Role.PEER, full_name="Bo Other", email="bo@example.org")
    theirs = ClientFactory(program=other_program, primary_peer=other_peer)
    other_plan = RecoveryPlanFactory(client=theirs)
    Dimension.objects.filter(program=mine.program, code="social").update(is_active=False)
    mine_offered = login(peer).get(reverse("clients:goal_new", args=[plan.uuid])).context["form"]
    assert "social" not in [d.code for d in mine_offered.fields["dimensions"].queryset]
    other_offered = login(other_peer).get(reverse("clients:goal_new", args=[other_plan.uuid])).context["form"]
    assert "social" in [d.code for d in other_offered.fields["dimensions"].queryset]


def test_a_retired_dimension_stays_readable_on_the_goals_that_carry_it(login, peer, mine):
    goal = GoalFactory(plan=RecoveryPlanFactory(client=mine), dimension_codes=["social"])
    Dimension.objects.filter(program=mine.program, code="social").update(is_active=False, name="Social life")
    page = login(peer).get(reverse("clients:plan_detail", args=[goal.plan.uuid])).content.decode()
    assert "Social life" in page


def test_an_admin_adds_renames_and_retires_a_dimension_on_the_reference_pages(login, admin, program, other_program):
    dimensions(program)
    dimensions(other_program)
    client = login(admin)
    listed = client.get(reverse("reference_list", args=["recovery-dimensions"]))
    assert listed.status_code == 200 and "Spiritual" in listed.content.decode()
    response = client.post(reverse("reference_new", args=["recovery-dimensions"]), {
        "code": "cultural", "name": "Cultural", "framework": "wellness", "description": "Culture and heritage.",
        "position": 9, "is_active": "on", "form_token": token()})
    assert response.status_code == 302
    assert Dimension.objects.filter(program=program, code="cultural").exists()
    assert not Dimension.objects.filter(program=other_program, code="cultural").exists()
    home = Dimension.objects.get(program=program, code="home")
    response = client.post(reverse("reference_edit", args=["recovery-dimensions", home.pk]), {
        "code": "home", "name": "Housing", "framework": "recovery", "description": home.description,
        "position": home.position})
    assert response.status_code == 302
    home.refresh_from_db()
    assert (home.name, home.is_active) == ("Housing", False)
    elsewhere = Dimension.objects.get(program=other_program, code="home")
    assert client.get(reverse("reference_edit", args=["recovery-dimensions", elsewhere.pk])).status_code == 404


def test_the_code_of_a_dimension_in_use_cannot_change(login, admin, mine):
    goal = GoalFactory(plan=RecoveryPlanFactory(client=mine), dimension_codes=["home"])
    home = goal.dimensions.get()
    form = login(admin).get(reverse("reference_edit", args=["recovery-dimensions", home.pk])).context["form"]
    assert form.fields["code"].disabled


def test_the_migration_gives_every_program_its_copies_and_repoints_their_goals(peer, mine, foreign):
    """The state before the migration: one program holds the install-wide rows, the other program's goals
    (an open plan and a closed version) point at them. After it: each program's goals point at its own."""
    shared = dimensions(mine.program)
    Dimension.objects.filter(program=foreign.program).delete()
    kept_ids = {code: d.pk for code, d in shared.items()}
    mine_goal = GoalFactory(plan=RecoveryPlanFactory(client=mine), dimension_codes=["home"])
    foreign_goal = GoalFactory(plan=RecoveryPlanFactory(client=foreign), dimension_codes=["home", "social"])

    MIGRATION.dimensions_to_programs(django_apps, None)
    MIGRATION.dimensions_to_programs(django_apps, None)  # again: nothing doubles

    assert dict(Dimension.objects.filter(program=mine.program).values_list("code", "pk")) == kept_ids
    assert Dimension.objects.filter(program=foreign.program).count() == 12
    assert [d.pk for d in mine_goal.dimensions.all()] == [kept_ids["home"]]
    assert {(d.program_id, d.code) for d in foreign_goal.dimensions.all()} == {
        (foreign.program_id, "home"), (foreign.program_id, "social")}
    assert not GoalDimension.objects.filter(goal__plan__client__program=foreign.program,
                                            dimension__program=mine.program).exists()
    assert RecoveryPlan.objects.filter(client=foreign).get().status == "active"

"""Recovery plans: goals in the participant's words tagged with dimensions, steps, progress, versions and
their history (Done when 4 and 6)."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from pghistory.models import Context

from clients import reference, services
from clients.forms.plans import NEED_A_DIMENSION, OTHER_NEEDS_NAME, REVIEW_BEFORE_START
from clients.models import ActionStep, Dimension, Goal, GoalProgress, Objective, RecoveryPlan
from clients.services.plans import ALREADY_HAS_PLAN
from recovery.fields import DATE_IN_FUTURE
from recovery.models import AccessLog
from tests.factories import ActionStepFactory, GoalFactory, RecoveryPlanFactory, days, dimensions


def token() -> str:
    return str(uuid.uuid4())


def event_user_id(event) -> int | None:
    return Context.objects.get(pk=event.pgh_context_id).metadata.get("user") if event.pgh_context_id else None


def test_every_program_gets_the_twelve_default_dimensions(program):
    reference.program_defaults(program)  # and again: nothing doubles
    dimensions = Dimension.objects.filter(program=program)
    assert dimensions.count() == 12
    codes = set(dimensions.values_list("code", flat=True))
    assert {"health", "home", "purpose", "community"} <= codes
    assert {"emotional", "environmental", "financial", "intellectual", "occupational", "physical", "social",
            "spiritual"} <= codes
    assert dimensions.filter(framework=Dimension.Framework.RECOVERY).count() == 4
    assert dimensions.filter(framework=Dimension.Framework.WELLNESS).count() == 8


def test_peer_writes_a_plan(login, peer, mine):
    response = login(peer).post(reverse("clients:plan_new", args=[mine.uuid]), {
        "started_on": days(0).isoformat(), "review_on": days(90).isoformat(), "agreed_on": days(0).isoformat(),
        "strengths": "Determined; good friends at church.", "backup_plan": "Call Ana.", "form_token": token()})
    plan = RecoveryPlan.objects.get(client=mine)
    assert response.url == reverse("clients:plan_detail", args=[plan.uuid])
    assert (plan.version, plan.status, plan.created_by, plan.review_on) == (1, "active", peer, days(90))


def test_a_double_submitted_plan_creates_one_plan(login, peer, mine):
    client = login(peer)
    data = {"started_on": days(0).isoformat(), "form_token": token()}
    client.post(reverse("clients:plan_new", args=[mine.uuid]), data)
    client.post(reverse("clients:plan_new", args=[mine.uuid]), data)
    assert RecoveryPlan.objects.filter(client=mine).count() == 1


def test_a_second_plan_is_refused_while_one_is_current(login, peer, mine):
    RecoveryPlanFactory(client=mine)
    response = login(peer).post(reverse("clients:plan_new", args=[mine.uuid]),
                                {"started_on": days(0).isoformat(), "form_token": token()})
    assert response.status_code == 200
    assert ALREADY_HAS_PLAN in response.content.decode().replace("&#x27;", "'")


def test_review_date_before_plan_date_is_rejected_at_the_field(login, peer, mine):
    response = login(peer).post(reverse("clients:plan_new", args=[mine.uuid]), {
        "started_on": days(0).isoformat(), "review_on": days(-1).isoformat(), "form_token": token()})
    assert response.context["form"].errors["review_on"] == [REVIEW_BEFORE_START]


def test_peer_adds_goals_in_different_dimensions(login, peer, mine):
    plan = RecoveryPlanFactory(client=mine)
    dims = dimensions()
    client = login(peer)
    for text, code in [("I want my own place.", "home"), ("Get my GED.", "intellectual"), ("Walk daily.", "physical")]:
        response = client.post(reverse("clients:goal_new", args=[plan.uuid]),
                               {"text": text, "dimensions": [dims[code].pk], "form_token": token()})
        assert response.status_code == 302
    goals = list(plan.goals.order_by("position"))
    assert [g.text for g in goals] == ["I want my own place.", "Get my GED.", "Walk daily."]
    assert [g.position for g in goals] == [1, 2, 3]
    assert [[d.code for d in g.dimensions.all()] for g in goals] == [["home"], ["intellectual"], ["physical"]]


def test_a_goal_without_text_is_rejected_and_the_choices_are_kept(login, peer, mine):
    plan = RecoveryPlanFactory(client=mine)
    home = dimensions()["home"]
    response = login(peer).post(reverse("clients:goal_new", args=[plan.uuid]),
                                {"text": "", "dimensions": [home.pk], "form_token": token()})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert re.search(rf'<input[^>]*value="{home.pk}"[^>]*checked', response.content.decode())
    assert not Goal.objects.exists()


def test_a_goal_needs_a_dimension(login, peer, mine):
    plan = RecoveryPlanFactory(client=mine)
    response = login(peer).post(reverse("clients:goal_new", args=[plan.uuid]),
                                {"text": "Walk daily.", "form_token": token()})
    assert response.context["form"].errors["dimensions"] == [NEED_A_DIMENSION]


def test_action_steps_and_progress(login, peer, mine):
    goal = GoalFactory(plan=RecoveryPlanFactory(client=mine))
    client = login(peer)
    client.post(reverse("clients:step_new", args=[goal.uuid]), {
        "description": "Call the housing office", "who": "other", "who_detail": "Case manager",
        "due_on": days(7).isoformat(), "form_token": token()})
    step = ActionStep.objects.get(goal=goal)
    assert (step.who_text, step.due_on, step.done_on) == ("Case manager", days(7), None)
    client.post(reverse("clients:step_done", args=[step.uuid]), {"done": "1"})
    client.post(reverse("clients:step_done", args=[step.uuid]), {"done": "1"})  # twice: same answer
    step.refresh_from_db()
    assert step.done_on == days(0)
    client.post(reverse("clients:progress_new", args=[goal.uuid]),
                {"noted_on": days(0).isoformat(), "text": "Viewed two apartments.", "form_token": token()})
    assert GoalProgress.objects.get(goal=goal).author == peer


def test_a_step_for_someone_else_must_say_who(login, peer, mine):
    goal = GoalFactory(plan=RecoveryPlanFactory(client=mine))
    response = login(peer).post(reverse("clients:step_new", args=[goal.uuid]),
                                {"description": "Drive to the clinic", "who": "other", "form_token": token()})
    assert response.context["form"].errors["who_detail"] == [OTHER_NEEDS_NAME]
    assert "Drive to the clinic" in response.content.decode()


def test_the_plan_page_shows_goals_steps_and_progress_and_is_logged(login, world, supervisor):
    response = login(supervisor).get(reverse("clients:plan_detail", args=[world.plan.uuid]))
    html = response.content.decode()
    assert world.goal.text in html and world.step.description in html and "Called two landlords." in html
    assert not response.context["can_edit"]  # the supervisor reads
    entry = AccessLog.objects.get()
    assert (entry.object_type, entry.client_uuid) == ("clients.recoveryplan", world.client.uuid)


def test_a_new_version_keeps_the_old_one_readable_and_unchangeable(login, world, peer):
    client = login(peer)
    response = client.post(reverse("clients:plan_revise", args=[world.plan.uuid]))
    new = RecoveryPlan.objects.get(client=world.client, status="active")
    assert response.url == reverse("clients:plan_detail", args=[new.uuid])
    world.plan.refresh_from_db()
    assert (world.plan.status, new.version) == (RecoveryPlan.Status.SUPERSEDED, 2)
    carried = new.goals.get()
    assert carried.text == world.goal.text and carried.carried_from == world.goal
    assert sorted(d.code for d in carried.dimensions.all()) == ["home", "social"]
    assert carried.steps.get().description == world.step.description
    old_page = client.get(reverse("clients:plan_detail", args=[world.plan.uuid]))
    assert old_page.status_code == 200 and not old_page.context["can_edit"]
    assert "cannot be changed" in old_page.content.decode()
    assert client.get(reverse("clients:goal_edit", args=[world.goal.uuid])).status_code == 403
    assert client.post(reverse("clients:step_done", args=[world.step.uuid]), {"done": "1"}).status_code == 403


def test_double_clicking_new_version_makes_one_version(login, world, peer):
    client = login(peer)
    client.post(reverse("clients:plan_revise", args=[world.plan.uuid]))
    client.post(reverse("clients:plan_revise", args=[world.plan.uuid]))
    assert RecoveryPlan.objects.filter(client=world.client).count() == 2


def test_the_database_refuses_changes_to_a_closed_version(world, peer):
    services.plan_revise(plan=world.plan, by=peer, today=days(0))
    for change in (
        lambda: Goal.objects.filter(pk=world.goal.pk).update(text="Rewritten"),
        lambda: ActionStep.objects.filter(pk=world.step.pk).update(done_on=days(0)),
        lambda: RecoveryPlan.objects.filter(pk=world.plan.pk).update(review_on=days(200)),
        lambda: GoalFactory(plan=world.plan),
        lambda: world.goal.goal_dimensions.all().delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()


def test_progress_notes_are_append_only(world):
    note = GoalProgress.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        GoalProgress.objects.filter(pk=note.pk).update(text="Changed")


# Each request commits on its own, as in production, so the events carry their own times.
@pytest.mark.django_db(transaction=True)
def test_changes_to_plans_and_goals_keep_history_with_the_user(login, world, peer):
    client = login(peer)
    home, social, work = (dimensions()[c] for c in ("home", "social", "occupational"))
    client.post(reverse("clients:goal_edit", args=[world.goal.uuid]),
                {"text": "A place of my own by summer.", "dimensions": [home.pk, work.pk], "status": "active"})
    client.post(reverse("clients:plan_edit", args=[world.plan.uuid]), {
        "review_on": days(45).isoformat(), "agreed_on": days(0).isoformat(), "strengths": "", "backup_plan": ""})
    goal_event = world.goal.events.order_by("-pgh_id").first()
    assert goal_event.pgh_label == "update" and goal_event.text == "A place of my own by summer."
    assert event_user_id(goal_event) == peer.pk
    plan_event = world.plan.events.order_by("-pgh_id").first()
    assert plan_event.review_on == days(45) and event_user_id(plan_event) == peer.pk
    removed = world.goal.goal_dimensions.model.pgh_event_model.objects.filter(
        pgh_label="delete", dimension=social).get()
    assert event_user_id(removed) == peer.pk
    changes = client.get(reverse("clients:detail", args=[world.client.uuid])).context["sections"][-1].context[
        "changes"]
    latest = [(c.who, c.what) for c in changes[:4]]
    assert (peer.full_name, "Goal: goal, in the participant's own words changed") in latest
    assert (peer.full_name, "Goal dimension removed") in latest and (peer.full_name, "Goal dimension added") in latest
    assert (peer.full_name, "Recovery plan: date the participant agreed, review date changed") in latest


def test_step_edit_marks_done_with_a_date_not_in_the_future(login, world, peer):
    response = login(peer).post(reverse("clients:step_edit", args=[world.step.uuid]), {
        "description": world.step.description, "who": "participant", "done_on": days(1).isoformat()})
    assert response.context["form"].errors["done_on"] == [DATE_IN_FUTURE]


def test_retired_dimensions_stay_on_old_goals_but_are_not_offered_for_new_ones(login, world, peer):
    Dimension.objects.filter(code="social").update(is_active=False)
    client = login(peer)
    new_form = client.get(reverse("clients:goal_new", args=[world.plan.uuid])).context["form"]
    assert "social" not in [d.code for d in new_form.fields["dimensions"].queryset]
    edit_form = client.get(reverse("clients:goal_edit", args=[world.goal.uuid])).context["form"]
    assert "social" in [d.code for d in edit_form.fields["dimensions"].queryset]


def test_goal_statuses(world):
    assert [s for s, _ in Goal.Status.choices] == ["active", "achieved", "revised", "dropped"]
    ActionStepFactory(goal=world.goal)
    assert world.goal.steps.count() == 2


def test_double_submitted_goal_step_and_progress_are_created_once(login, world, peer):
    client = login(peer)
    home = dimensions()["home"]
    goal_data = {"text": "Save for a deposit.", "dimensions": [home.pk], "form_token": token()}
    step_data = {"description": "Open a savings account", "who": "participant", "form_token": token()}
    progress_data = {"noted_on": days(0).isoformat(), "text": "Opened it.", "form_token": token()}
    for _ in range(2):
        client.post(reverse("clients:goal_new", args=[world.plan.uuid]), goal_data)
        client.post(reverse("clients:step_new", args=[world.goal.uuid]), step_data)
        client.post(reverse("clients:progress_new", args=[world.goal.uuid]), progress_data)
    assert world.plan.goals.filter(text="Save for a deposit.").count() == 1
    assert world.goal.steps.filter(description="Open a savings account").count() == 1
    assert world.goal.progress.filter(text="Opened it.").count() == 1


def test_dimensions_are_managed_in_the_admin_but_never_deleted(db):
    from django.contrib import admin as django_admin

    model_admin = django_admin.site._registry[Dimension]
    assert not model_admin.has_delete_permission(request=None)


# --- Issue 15, point 11: objectives, progress from notes, steps marked in place, a suggested review date


def test_a_new_plan_is_offered_the_programs_suggested_review_date(login, peer, mine, program):
    program.plan_review_every_days = 60
    program.save()
    form = login(peer).get(reverse("clients:plan_new", args=[mine.uuid])).context["form"]
    assert form["review_on"].value() == program.today() + datetime.timedelta(days=60)


def test_a_new_version_gets_the_suggested_review_date_once_the_old_one_has_passed(world, peer, program):
    RecoveryPlan.objects.filter(pk=world.plan.pk).update(review_on=days(-1))
    world.plan.refresh_from_db()
    new = services.plan_revise(plan=world.plan, by=peer, today=days(0))
    assert new.review_on == days(program.plan_review_every_days)


def test_peer_adds_a_measurable_objective_with_a_target_date_under_a_goal(login, world, peer):
    http = login(peer)
    page = http.get(reverse("clients:plan_detail", args=[world.plan.uuid])).content.decode()
    assert "Add an objective" in page and reverse("clients:objective_new", args=[world.goal.uuid]) in page
    data = {"text": "Send three rental applications", "target_on": days(30).isoformat(), "form_token": token()}
    first = http.post(reverse("clients:objective_new", args=[world.goal.uuid]), data)
    second = http.post(reverse("clients:objective_new", args=[world.goal.uuid]), data)
    objective = Objective.objects.get()
    assert (objective.goal, objective.target_on, objective.met_on) == (world.goal, days(30), None)
    assert first.url == second.url == f"{world.plan.get_absolute_url()}#goal-{world.goal.uuid}"


def test_an_objective_without_a_target_date_is_refused_and_keeps_its_text(login, world, peer):
    response = login(peer).post(reverse("clients:objective_new", args=[world.goal.uuid]),
                                {"text": "Walk 20 minutes, five days a week", "form_token": token()})
    assert response.status_code == 200 and "target_on" in response.context["form"].errors
    assert "Walk 20 minutes, five days a week" in response.content.decode()
    assert not Objective.objects.exists()


def test_objectives_are_written_only_by_the_participants_peer_on_the_current_version(login, world, peer,
                                                                                    other_peer, supervisor):
    url = reverse("clients:objective_new", args=[world.goal.uuid])
    data = {"text": "Anything", "target_on": days(9).isoformat(), "form_token": token()}
    assert login(other_peer).post(url, data).status_code == 404
    assert login(supervisor).post(url, data).status_code == 403
    services.plan_revise(plan=world.plan, by=peer, today=days(0))
    assert login(peer).post(url, {**data, "form_token": token()}).status_code == 403
    assert not Objective.objects.filter(goal=world.goal).exists()


def test_an_objective_is_marked_met_and_not_met_in_place(login, world, peer):
    objective = Objective.objects.create(goal=world.goal, text="Open a bank account", target_on=days(20))
    http = login(peer)
    url = reverse("clients:objective_met", args=[objective.uuid])
    fragment = http.post(url, {"met": "1"}, HTTP_HX_REQUEST="true")
    objective.refresh_from_db()
    assert objective.met_on == days(0)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "Mark not met" in html and "<html" not in html
    assert http.post(url, {"met": "0"}).url == f"{world.plan.get_absolute_url()}#goal-{world.goal.uuid}"
    objective.refresh_from_db()
    assert objective.met_on is None


def test_a_step_is_marked_done_in_place_with_clear_verbs(login, world, peer):
    http = login(peer)
    page = http.get(reverse("clients:plan_detail", args=[world.plan.uuid])).content.decode()
    assert "Mark done" in page
    fragment = http.post(reverse("clients:step_done", args=[world.step.uuid]), {"done": "1"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "Mark not done" in html and f'id="step-{world.step.uuid}"' in html and "<html" not in html
    world.step.refresh_from_db()
    assert world.step.done_on == days(0)


def test_a_step_serves_one_of_its_goals_objectives(login, world, peer):
    objective = Objective.objects.create(goal=world.goal, text="Save $300 for a deposit", target_on=days(40))
    elsewhere = Objective.objects.create(goal=GoalFactory(plan=world.plan), text="Not this goal", target_on=days(9))
    http = login(peer)
    form = http.get(reverse("clients:step_new", args=[world.goal.uuid])).context["form"]
    assert list(form.fields["objective"].queryset) == [objective]
    refused = http.post(reverse("clients:step_new", args=[world.goal.uuid]), {
        "description": "Put aside $50 each payday", "who": "participant", "objective": str(elsewhere.pk),
        "form_token": token()})
    assert "objective" in refused.context["form"].errors
    http.post(reverse("clients:step_new", args=[world.goal.uuid]), {
        "description": "Put aside $50 each payday", "who": "participant", "objective": str(objective.pk),
        "form_token": token()})
    assert ActionStep.objects.get(description="Put aside $50 each payday").objective == objective


def test_a_goal_without_objectives_offers_no_objective_for_its_steps(login, world, peer):
    form = login(peer).get(reverse("clients:step_new", args=[world.goal.uuid])).context["form"]
    assert "objective" not in form.fields


def test_goals_ticked_in_a_signed_note_appear_in_the_goals_progress_history(login, world, peer):
    from clients.services.notes import note_sign
    from tests.factories import SessionNoteFactory

    signed = SessionNoteFactory(client=world.client, session_date=days(-2), contact_type="phone")
    signed.goals.set([world.goal])
    note_sign(note=signed, by=peer)
    draft = SessionNoteFactory(client=world.client, session_date=days(-1))
    draft.goals.set([world.goal])
    response = login(peer).get(reverse("clients:plan_detail", args=[world.plan.uuid]))
    goal = response.context["plan"].goals.all()[0]
    assert [row.get("note") for row in goal.history] == [signed, None]  # newest first: the note, then progress
    assert signed.get_absolute_url() in response.content.decode()
    assert draft.get_absolute_url() not in response.content.decode()


def test_a_new_version_carries_unmet_objectives_with_their_steps(world, peer):
    kept = Objective.objects.create(goal=world.goal, text="Apply to two programs", target_on=days(30))
    Objective.objects.create(goal=world.goal, text="Met already", target_on=days(-3), met_on=days(-4))
    ActionStep.objects.filter(pk=world.step.pk).update(objective=kept)
    new = services.plan_revise(plan=world.plan, by=peer, today=days(0))
    carried = new.goals.get()
    assert [(o.text, o.target_on) for o in carried.objectives.all()] == [("Apply to two programs", days(30))]
    assert carried.steps.get().objective == carried.objectives.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        Objective.objects.filter(pk=kept.pk).update(text="Changed on a closed version")

"""Workflows on recovery plans, their goals and action steps."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, gettext_noop

from clients.models import (
    ActionStep,
    Client,
    Dimension,
    Goal,
    Objective,
    RecoveryPlan,
)
from recovery.models import User

ALREADY_HAS_PLAN = gettext_noop("This participant already has a current plan: revise it to start a new version.")
DISCHARGED_NO_PLAN = gettext_noop("Re-enrol the participant before starting a plan.")


@transaction.atomic
def plan_start(*, plan: RecoveryPlan, client: Client, by: User) -> RecoveryPlan:
    """Save a participant's first plan (or the next one after a discharge closed the last)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if not client.is_active:
        raise ValidationError(gettext(DISCHARGED_NO_PLAN))
    if client.plans.filter(status=RecoveryPlan.Status.ACTIVE).exists():
        raise ValidationError(gettext(ALREADY_HAS_PLAN))
    plan.client, plan.created_by = client, by
    plan.version = (client.plans.aggregate(v=Max("version"))["v"] or 0) + 1
    plan.save()
    return plan


@transaction.atomic
def plan_revise(*, plan: RecoveryPlan, by: User, today: datetime.date) -> RecoveryPlan:
    """Start a new version: the old one is closed as it stands (readable, unchangeable); goals still being
    worked on, their objectives not yet met and their open steps carry over. The review date carries over
    while it is ahead, else the program's suggestion."""
    old = RecoveryPlan.objects.select_for_update().select_related("client__program").get(
        pk=plan.pk, status=RecoveryPlan.Status.ACTIVE)
    old_goals = list(old.goals.filter(status=Goal.Status.ACTIVE)
                     .prefetch_related("goal_dimensions", "steps", "objectives"))
    old.status, old.closed_on = RecoveryPlan.Status.SUPERSEDED, today
    old.save(update_fields=["status", "closed_on"])
    # The next number after every version the participant has (a merge may have brought older ones).
    version = (old.client.plans.aggregate(v=Max("version"))["v"] or 0) + 1
    new = RecoveryPlan.objects.create(
        client_id=old.client_id, version=version, started_on=today, created_by=by,
        review_on=old.review_on if old.review_on and old.review_on >= today
        else suggested_review_on(old.client.program, today),
        strengths=old.strengths, backup_plan=old.backup_plan,
    )
    for position, goal in enumerate(old_goals, start=1):
        copy = Goal.objects.create(plan=new, text=goal.text, position=position, carried_from=goal)
        copy.dimensions.set([gd.dimension_id for gd in goal.goal_dimensions.all()])
        objectives = {o.pk: Objective.objects.create(goal=copy, text=o.text, target_on=o.target_on,
                                                     position=o.position)
                      for o in goal.objectives.all() if o.met_on is None}
        ActionStep.objects.bulk_create([
            ActionStep(goal=copy, objective=objectives.get(s.objective_id), description=s.description, who=s.who,
                       who_detail=s.who_detail, due_on=s.due_on, position=s.position)
            for s in goal.steps.all() if s.done_on is None
        ])
    return new


def suggested_review_on(program, started_on: datetime.date) -> datetime.date:
    """The review date a plan is offered: the program's ``plan_review_every_days`` after its date."""
    return started_on + datetime.timedelta(days=program.plan_review_every_days)


@transaction.atomic
def goal_add(*, plan: RecoveryPlan, text: str, dimensions: list[Dimension]) -> Goal:
    position = (plan.goals.aggregate(p=Max("position"))["p"] or 0) + 1
    goal = Goal.objects.create(plan=plan, text=text, position=position)
    goal.dimensions.set(dimensions)
    return goal


def action_step_add(*, step: ActionStep, goal: Goal) -> ActionStep:
    """Save a new step (built by the form) at the end of the goal's steps."""
    step.goal = goal
    step.position = (goal.steps.aggregate(p=Max("position"))["p"] or 0) + 1
    step.save()
    return step


def objective_add(*, objective: Objective, goal: Goal) -> Objective:
    """Save a new objective (built by the form) at the end of the goal's objectives."""
    objective.goal = goal
    objective.position = (goal.objectives.aggregate(p=Max("position"))["p"] or 0) + 1
    objective.save()
    return objective

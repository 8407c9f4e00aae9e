"""Recovery plans: start, read (any version), edit the current one, revise into a new version; goals, their
measurable objectives, action steps and progress notes (written here, or a signed session note that worked on
the goal). Ticking a step or an objective happens in place (htmx swaps the row; without JavaScript the form
posts and the page reloads at the goal)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from clients import services
from clients.forms.plans import (
    ActionStepEditForm,
    ActionStepForm,
    GoalEditForm,
    GoalForm,
    GoalProgressForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlanEditForm,
    PlanForm,
)
from clients.models import Dimension, GoalProgress, NoteGoal, SessionNote
from clients.sections import goals_with_parts
from clients.views.common import (
    editable_client,
    editable_goal,
    editable_objective,
    editable_step,
    ensure_plan_open,
    scoped_plan,
)
from recovery.audit import log_access, serves
from recovery.http import create_page, form_page
from recovery.scoping import can_edit_participant, ensure_can_edit_participant


def _goal_url(goal) -> str:
    return f"{goal.plan.get_absolute_url()}#goal-{goal.uuid}"


def _goal_context(goal, **records) -> dict:
    """The context of a page about a goal (it, its step, objective and progress forms)."""
    return {"goal": goal, "plan": goal.plan, "client": goal.plan.client, **records}


@login_required
@serves("GET", "POST")
def plan_new(request, client_uuid: uuid.UUID):
    client = editable_client(request, client_uuid)
    today = client.program.today()
    return create_page(
        request, lambda: PlanForm(request.POST or None, today=today, initial={
            "started_on": today, "review_on": services.suggested_review_on(client.program, today)}),
        "clients/plan_form.html", {"client": client, "creating": True},
        create=lambda form: services.plan_start(plan=form.save(commit=False), client=client,
                                                by=request.user).get_absolute_url())


@login_required
@serves("GET")
def plan_detail(request, plan_uuid: uuid.UUID):
    """One version of the plan, with its goals, steps and progress; older versions are read-only."""
    plan = scoped_plan(request, plan_uuid)
    client = plan.client
    goals = goals_with_parts(objectives=True).prefetch_related(
        Prefetch("progress", GoalProgress.objects.select_related("author").order_by("-noted_on", "-pk")))
    prefetch_related_objects([plan], Prefetch("goals", goals))
    _attach_history(list(plan.goals.all()))
    if can_edit := plan.is_current and can_edit_participant(request.user, client):
        for goal in plan.goals.all():  # the objective form under each goal, its ids its own
            goal.objective_form = ObjectiveForm(today=client.program.today(), auto_id=f"o{goal.uuid.hex[:12]}_%s")
    versions = list(client.plans.order_by("-version").values("uuid", "version", "status", "started_on"))
    log_access(request, plan, client_uuid=client.uuid, program_id=client.program_id)
    return render(request, "clients/plan_detail.html", {
        "plan": plan, "client": client, "versions": versions, "can_edit": can_edit,
        "today": client.program.today(),
    })


def _attach_history(goals: list) -> None:
    """Give each goal its ``history``, newest first: the progress notes written on the plan, and the signed
    session notes that worked on it (or on the goal it carries forward from the previous version). One query."""
    owner = {goal.pk: goal for goal in goals}
    owner.update({goal.carried_from_id: goal for goal in goals if goal.carried_from_id})
    worked = (NoteGoal.objects.filter(goal_id__in=list(owner), note__status=SessionNote.Status.SIGNED)
              .select_related("note__author").order_by("-note__session_date", "-pk"))
    for goal in goals:
        goal.history = [{"on": p.noted_on, "text": p.text, "by": p.author.full_name} for p in goal.progress.all()]
    for ng in worked:
        owner[ng.goal_id].history.append({"on": ng.note.session_date, "note": ng.note, "by": ng.note.author.full_name})
    for goal in goals:
        goal.history.sort(key=lambda row: row["on"], reverse=True)


@login_required
@serves("GET", "POST")
def plan_edit(request, plan_uuid: uuid.UUID):
    plan = scoped_plan(request, plan_uuid)
    ensure_plan_open(request, plan)
    form = PlanEditForm(request.POST or None, instance=plan, today=plan.client.program.today())
    return form_page(request, form, "clients/plan_form.html", {"client": plan.client, "plan": plan},
                     save=form.save, success=gettext("Plan saved."), then=plan)


@login_required
@serves("POST")
def plan_revise(request, plan_uuid: uuid.UUID):
    """Start a new version of the plan; the current one is kept, read-only."""
    plan = scoped_plan(request, plan_uuid)
    ensure_can_edit_participant(request.user, plan.client)
    if not plan.is_current:
        # A second click on "new version": the first already made it.
        messages.info(request, gettext("This version was already replaced."))
        return redirect(plan.client.plans.order_by("-version").first())
    new = services.plan_revise(plan=plan, by=request.user, today=plan.client.program.today())
    messages.success(request, gettext("Version %(new)s started. Version %(old)s is kept, read-only.")
                     % {"new": new.version, "old": plan.version})
    return redirect(new)


@login_required
@serves("GET", "POST")
def goal_new(request, plan_uuid: uuid.UUID):
    plan = scoped_plan(request, plan_uuid)
    ensure_plan_open(request, plan)
    return create_page(
        request, lambda: GoalForm(request.POST or None, initial=_goal_initial(request.GET, plan.client.program_id),
                                  program_id=plan.client.program_id),
        "clients/goal_form.html", {"plan": plan, "client": plan.client},
        create=lambda form: _goal_url(services.goal_add(plan=plan, text=form.cleaned_data["text"],
                                                        dimensions=form.cleaned_data["dimensions"])))


def _goal_initial(query, program_id: int) -> dict:
    """A goal form prefilled from a link (``?text=…&dimension=<code>``, e.g. from a low check-in item)."""
    initial = {"text": query.get("text", "")[:500]}
    codes = query.getlist("dimension")
    if codes:
        initial["dimensions"] = list(Dimension.objects.filter(program_id=program_id, code__in=codes[:12],
                                                                  is_active=True))
    return initial


@login_required
@serves("GET", "POST")
def goal_edit(request, goal_uuid: uuid.UUID):
    goal = editable_goal(request, goal_uuid)
    form = GoalEditForm(request.POST or None, instance=goal, program_id=goal.plan.client.program_id)
    return form_page(request, form, "clients/goal_form.html", _goal_context(goal), save=form.save,
                     success=gettext("Goal saved."), then=_goal_url(goal))


@login_required
@serves("GET", "POST")
def step_new(request, goal_uuid: uuid.UUID):
    goal = editable_goal(request, goal_uuid)
    return create_page(
        request, lambda: ActionStepForm(request.POST or None, goal=goal, today=goal.plan.client.program.today()),
        "clients/step_form.html", _goal_context(goal),
        create=lambda form: _goal_url(services.action_step_add(step=form.save(commit=False), goal=goal).goal))


@login_required
@serves("GET", "POST")
def step_edit(request, step_uuid: uuid.UUID):
    step = editable_step(request, step_uuid)
    goal = step.goal
    form = ActionStepEditForm(request.POST or None, instance=step, goal=goal, today=goal.plan.client.program.today())
    return form_page(request, form, "clients/step_form.html", _goal_context(goal, step=step),
                     save=form.save, success=gettext("Step saved."), then=_goal_url(goal))


@login_required
@serves("POST")
def step_done(request, step_uuid: uuid.UUID):
    """Mark a step done today (``done=1``) or not done (``done=0``), in place from htmx."""
    step = editable_step(request, step_uuid)
    return _mark(request, step, "done_on", on=request.POST.get("done") == "1", goal=step.goal,
                 fragment="clients/includes/step_row.html", name="step")


@login_required
@serves("GET", "POST")
def objective_new(request, goal_uuid: uuid.UUID):
    """Add a measurable objective to a goal (the plan page carries this form under each goal; this page shows
    it again when something needs correcting)."""
    goal = editable_goal(request, goal_uuid)
    return create_page(
        request, lambda: ObjectiveForm(request.POST or None, today=goal.plan.client.program.today()),
        "clients/objective_form.html", _goal_context(goal),
        create=lambda form: _goal_url(services.objective_add(objective=form.save(commit=False), goal=goal).goal))


@login_required
@serves("GET", "POST")
def objective_edit(request, objective_uuid: uuid.UUID):
    objective = editable_objective(request, objective_uuid)
    goal = objective.goal
    form = ObjectiveEditForm(request.POST or None, instance=objective, today=goal.plan.client.program.today())
    return form_page(request, form, "clients/objective_form.html", _goal_context(goal, objective=objective),
                     save=form.save, success=gettext("Objective saved."), then=_goal_url(goal))


@login_required
@serves("POST")
def objective_met(request, objective_uuid: uuid.UUID):
    """Mark an objective met today (``met=1``) or not met (``met=0``); in place from htmx, as a step."""
    objective = editable_objective(request, objective_uuid)
    return _mark(request, objective, "met_on", on=request.POST.get("met") == "1", goal=objective.goal,
                 fragment="clients/includes/objective_status.html", name="objective")


def _mark(request, record, field: str, *, on: bool, goal, fragment: str, name: str):
    """Set ``field`` to today (``on``) or clear it; the same answer however often sent. From htmx, the
    record's ``fragment`` comes back to replace itself; else the plan page, at the goal."""
    today = goal.plan.client.program.today()
    if on != (getattr(record, field) is not None):
        setattr(record, field, today if on else None)
        record.save(update_fields=[field])
    if request.htmx:
        return render(request, fragment, {name: record, "editable": True, "today": today})
    return redirect(_goal_url(goal))


@login_required
@serves("GET", "POST")
def progress_new(request, goal_uuid: uuid.UUID):
    goal = editable_goal(request, goal_uuid)
    today = goal.plan.client.program.today()
    return create_page(
        request, lambda: GoalProgressForm(request.POST or None, today=today, initial={"noted_on": today}),
        "clients/progress_form.html", _goal_context(goal), create=lambda form: _progress_add(request, goal, form))


def _progress_add(request, goal, form) -> str:
    progress = form.save(commit=False)
    progress.goal, progress.author = goal, request.user
    progress.save()
    return _goal_url(goal)

"""The participant page, section by section (like recovery.dashboards.MY_DAY_SECTIONS).

Each entry of ``PARTICIPANT_SECTIONS`` (at the end of this module) pairs a function
``(request, client, page) -> dict | None`` with the template that renders its dict as ``section``; ``page``
holds what every section shares (``today``, ``can_edit``). Each function runs a fixed number of queries.
"""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, OuterRef, Prefetch, Subquery, Window

from clients.models import (
    ActionStep,
    DischargeReason,
    FollowUp,
    Goal,
    GoalDimension,
    Objective,
    RecoveryPlan,
    SessionNote,
)
from clients.units import units_this_year
from recovery.dashboards import Section
from recovery.history import events_about, history_lines

NOTES_SHOWN = 10
CHANGES_SHOWN = 12
OPEN_FOLLOWUPS_SHOWN = 20
CLOSED_FOLLOWUPS_SHOWN = 5


def goals_with_parts(*, objectives: bool = False):
    """Goals with their dimensions and steps, for a plan's goal list (two prefetch queries), and with
    ``objectives`` their objectives too (a third)."""
    goals = Goal.objects.prefetch_related(
        Prefetch("goal_dimensions", GoalDimension.objects.select_related("dimension")
                 .order_by("dimension__framework", "dimension__position")),
        Prefetch("steps", ActionStep.objects.order_by("position", "pk")),
    )
    if objectives:
        goals = goals.prefetch_related(Prefetch("objectives", Objective.objects.order_by("position", "pk")))
    return goals


def summary(request, client, page) -> dict:
    return {"client": client, "age": client.age_on(page["today"])}


def latest_plan(client, page) -> RecoveryPlan | None:
    """The participant's latest plan (the current one, or the latest, closed one) with its goals, read once
    per page and kept in ``page``: the plan section shows it, and the outcomes section links to it when it
    is the current one (a participant has at most one current plan: ``plan_one_active_per_client``)."""
    if "latest_plan" not in page:
        page["latest_plan"] = (RecoveryPlan.objects.filter(client=client).order_by("-version")
                               .prefetch_related(Prefetch("goals", goals_with_parts())).first())
    return page["latest_plan"]


def plan(request, client, page) -> dict:
    """The current plan (or the latest, closed one) and its goals."""
    return {"plan": latest_plan(client, page), "client": client}


def consents(request, client, page) -> dict:
    today = page["today"]
    rows = [(c, c.status_on(today), c.expires_within(today, client.program.consent_expiring_days))
            for c in client.consents.order_by("-signed_on", "-pk")]
    return {"rows": rows, "client": client}


def episodes(request, client, page) -> dict:
    # The reason's wording in the program, read in the same query (a code it no longer has reads as itself).
    wording = DischargeReason.objects.filter(program_id=client.program_id, code=OuterRef("discharge_reason"))
    episodes = client.episodes.annotate(reason_name=Subquery(wording.values("name")[:1])).order_by("-started_on", "-pk")
    rows = [(episode, episode.reason_name or episode.discharge_reason) for episode in episodes]
    return {"episodes": rows, "client": client}


def assignments(request, client, page) -> dict:
    rows = client.assignments.select_related("peer", "assigned_by").order_by("-started_at", "-pk")
    return {"assignments": list(rows), "client": client}


# The history's event models: those whose rows point at the participant, then at a plan, then at a goal.
CLIENT_EVENTS = ["clients.ClientEvent", "clients.EpisodeEvent", "clients.CaseAssignmentEvent",
                 "clients.ConsentEvent", "clients.RecoveryPlanEvent"]
PLAN_EVENTS = ["clients.GoalEvent"]
GOAL_EVENTS = ["clients.ActionStepEvent", "clients.GoalDimensionEvent", "clients.GoalProgressEvent"]


def history(request, client, page) -> dict:
    """The latest changes to the participant's record, plans, goals and consents, in words (four queries)."""
    events = events_about(CLIENT_EVENTS, [client], CHANGES_SHOWN * 2)
    # Every plan's id with its goals' ids, in one query.
    rows = RecoveryPlan.objects.filter(client=client).annotate(goal_ids=ArrayAgg("goals__pk", default=[]))
    plans, goals = [], []
    for pk, goal_ids in rows.order_by().values_list("pk", "goal_ids"):
        plans.append(RecoveryPlan(pk=pk))
        goals += [Goal(pk=goal_pk) for goal_pk in goal_ids if goal_pk is not None]
    if plans:
        events += events_about(PLAN_EVENTS, plans, CHANGES_SHOWN * 2)
        if goals:
            events += events_about(GOAL_EVENTS, goals, CHANGES_SHOWN * 2)
    return {"changes": history_lines(events, CHANGES_SHOWN)}


def notes(request, client, page) -> dict:
    """The latest notes, newest first (drafts marked), and how many there are in all (one query)."""
    rows = list(SessionNote.objects.filter(client=client).select_related("author", "service_code")
                .annotate(total=Window(Count("pk"))).order_by("-session_date", "-ended_at", "-pk")[:NOTES_SHOWN])
    return {"client": client, "notes": rows, "total": rows[0].total if rows else 0}


def followups(request, client, page) -> dict:
    """Open follow-ups, soonest first, and the last few closed (two queries)."""
    still_open = list(FollowUp.objects.filter(client=client).open().select_related("assignee")
                      .annotate(total=Window(Count("pk"))).order_by("due_on", "pk")[:OPEN_FOLLOWUPS_SHOWN])
    closed = list(FollowUp.objects.filter(client=client).exclude(status=FollowUp.Status.OPEN)
                  .order_by("-closed_at", "-pk")[:CLOSED_FOLLOWUPS_SHOWN])
    return {"client": client, "open": still_open, "open_total": still_open[0].total if still_open else 0,
            "closed": closed}


def units(request, client, page) -> dict:
    year = page["today"].year
    return {"client": client, "year": year, "rows": units_this_year(client.pk, year)}


PARTICIPANT_SECTIONS = [
    (summary, "clients/participant/summary.html"),
    (followups, "clients/participant/followups.html"),
    (notes, "clients/participant/notes.html"),
    (plan, "clients/participant/plan.html"),
    (units, "clients/participant/units.html"),
    (consents, "clients/participant/consents.html"),
    (episodes, "clients/participant/episodes.html"),
    (assignments, "clients/participant/assignments.html"),
    (history, "clients/participant/history.html"),
]


def section_add(function, template: str, *, after: str | None = None) -> None:
    """For the apps above clients (from their ``AppConfig.ready()``): add a section to the participant
    page, after the section whose function is named ``after`` (else at the end)."""
    names = [f.__name__ for f, _ in PARTICIPANT_SECTIONS]
    at = names.index(after) + 1 if after in names else len(PARTICIPANT_SECTIONS)
    PARTICIPANT_SECTIONS.insert(at, (function, template))


def participant_sections(request, client, page: dict) -> list[Section]:
    sections = []
    for function, template in PARTICIPANT_SECTIONS:
        context = function(request, client, page)
        if context is not None:
            sections.append(Section(template, context))
    return sections

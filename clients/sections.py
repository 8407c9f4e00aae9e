"""The participant page, section by section (like recovery.dashboards.MY_DAY_SECTIONS).

Each entry names a function ``(request, client, page) -> dict | None`` and the template that renders its
dict as ``section``; ``page`` holds what every section shares (``today``, ``can_edit``). Each function runs
a fixed number of queries. The session-notes issue adds its notes and follow-ups sections here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.module_loading import import_string

from clients.history import client_history
from clients.models import ActionStep, Goal, GoalDimension, RecoveryPlan
from clients.models.participants import CONSENT_EXPIRING_DAYS

PARTICIPANT_SECTIONS: list[tuple[str, str]] = [
    ("clients.sections.summary", "clients/participant/summary.html"),
    ("clients.sections.plan", "clients/participant/plan.html"),
    ("clients.sections.consents", "clients/participant/consents.html"),
    ("clients.sections.episodes", "clients/participant/episodes.html"),
    ("clients.sections.assignments", "clients/participant/assignments.html"),
    ("clients.sections.history", "clients/participant/history.html"),
]


@dataclass
class Section:
    template: str
    context: dict


def participant_sections(request, client, page: dict) -> list[Section]:
    sections = []
    for dotted, template in PARTICIPANT_SECTIONS:
        context = import_string(dotted)(request, client, page)
        if context is not None:
            sections.append(Section(template, context))
    return sections


def goals_with_parts():
    """Goals with their dimensions and steps, for a plan's goal list (two prefetch queries)."""
    return Goal.objects.prefetch_related(
        Prefetch("goal_dimensions", GoalDimension.objects.select_related("dimension")
                 .order_by("dimension__framework", "dimension__position")),
        Prefetch("steps", ActionStep.objects.order_by("position", "pk")),
    )


def summary(request, client, page) -> dict:
    return {"client": client, "age": client.age_on(page["today"])}


def plan(request, client, page) -> dict:
    """The current plan (or the latest, closed one) and its goals."""
    latest = (RecoveryPlan.objects.filter(client=client).order_by("-version")
              .prefetch_related(Prefetch("goals", goals_with_parts())).first())
    return {"plan": latest, "client": client}


def consents(request, client, page) -> dict:
    today = page["today"]
    rows = [(c, c.status_on(today), c.expires_within(today, CONSENT_EXPIRING_DAYS))
            for c in client.consents.order_by("-signed_on", "-pk")]
    return {"rows": rows, "client": client}


def episodes(request, client, page) -> dict:
    return {"episodes": list(client.episodes.order_by("-started_on", "-pk")), "client": client}


def assignments(request, client, page) -> dict:
    rows = client.assignments.select_related("peer", "assigned_by").order_by("-started_at", "-pk")
    return {"assignments": list(rows), "client": client}


def history(request, client, page) -> dict:
    return {"changes": client_history(client)}

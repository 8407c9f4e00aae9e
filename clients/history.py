"""A participant's change history for the participant page: one line per change, in words.

Database triggers write an event for every insert and update of the tracked models (and the user who
made it, from pghistory's middleware). The columns an event changed are read the one way every history
page reads them, ``recovery.history.column_changes``; this module only chooses the events and the words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext
from pghistory.models import MiddlewareEvents

from clients.models import Goal, RecoveryPlan
from recovery.history import column_changes

# Event models whose rows point at the participant directly, then those that hang off plans and goals.
CLIENT_EVENTS = ["clients.ClientEvent", "clients.EpisodeEvent", "clients.CaseAssignmentEvent",
                 "clients.ConsentEvent", "clients.RecoveryPlanEvent"]
PLAN_EVENTS = ["clients.GoalEvent"]
GOAL_EVENTS = ["clients.ActionStepEvent", "clients.GoalDimensionEvent", "clients.GoalProgressEvent"]

# Derived or technical columns: a change to them alone is not worth a line.
HIDDEN_FIELDS = {"id", "uuid", "name_key", "search_text", "intake_token", "created_at", "position"}


@dataclass(frozen=True)
class HistoryLine:
    """One change to the participant's records, in words: when, by whom, what."""

    at: datetime.datetime
    who: str
    what: str


def _noun(model_label: str) -> str:
    if model_label == "clients.GoalDimension":
        return gettext("Goal dimension")
    return str(apps.get_model(model_label)._meta.verbose_name).capitalize()


def _field_labels(model_label: str, attnames) -> list[str]:
    model = apps.get_model(model_label)
    labels = []
    for attname in sorted(attnames):
        name = attname.removesuffix("_id")
        if attname in HIDDEN_FIELDS or name in HIDDEN_FIELDS:
            continue
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name.replace("_", " "))
    return labels


def describe(event) -> str | None:
    """One line for an event, or None when nothing worth showing changed."""
    noun = _noun(event.pgh_obj_model)
    if event.pgh_label == "insert":
        return gettext("%(noun)s added") % {"noun": noun}
    if event.pgh_label == "delete":
        return gettext("%(noun)s removed") % {"noun": noun}
    fields = _field_labels(event.pgh_obj_model, [column for column, _, _ in column_changes(event)])
    if not fields:
        return None
    return gettext("%(noun)s: %(fields)s changed") % {"noun": noun, "fields": ", ".join(fields)}


def client_history(client, *, limit: int = 12) -> list[HistoryLine]:
    """The latest changes to the participant's record, plans, goals and consents (five queries)."""
    batches = [(CLIENT_EVENTS, [client])]
    plans = [RecoveryPlan(pk=pk) for pk in RecoveryPlan.objects.filter(client=client).values_list("pk", flat=True)]
    if plans:
        batches.append((PLAN_EVENTS, plans))
        goals = [Goal(pk=pk) for pk in Goal.objects.filter(plan__client=client).values_list("pk", flat=True)]
        if goals:
            batches.append((GOAL_EVENTS, goals))
    events = []
    for models, objects in batches:
        query = (MiddlewareEvents.objects.across(*models).references(objects)
                 .select_related("user").order_by("-pgh_created_at", "-pgh_id"))
        events.extend(query[: limit * 2])
    events.sort(key=lambda e: e.pgh_created_at, reverse=True)
    changes = []
    for event in events:
        what = describe(event)
        if what is not None:
            who = event.user.full_name if event.user else gettext("System")
            changes.append(HistoryLine(event.pgh_created_at, who, what))
    return changes[:limit]

"""What every view of the clients app shares: scoped fetches and write checks (create forms: recovery.once)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clients.models import ActionStep, Client, Consent, Goal, RecoveryPlan
from clients.models.plans import PLAN_READ_ONLY
from recovery.audit import read_by
from recovery.scoping import ensure_can_edit_participant


def scoped_client(request, client_uuid: uuid.UUID) -> Client:
    """The participant if ``request.user`` may see them, else 404."""
    queryset = Client.objects.visible_to(request.user).select_related("program", "primary_peer")
    client = get_object_or_404(queryset, uuid=client_uuid)
    read_by(request, client, client_uuid=client.uuid, program_id=client.program_id)
    return client


def editable_client(request, client_uuid: uuid.UUID) -> Client:
    """The participant if ``request.user`` carries them; 404 out of scope, 403 for read-only roles."""
    client = scoped_client(request, client_uuid)
    ensure_can_edit_participant(request.user, client)
    return client


def scoped_plan(request, plan_uuid: uuid.UUID) -> RecoveryPlan:
    queryset = RecoveryPlan.objects.visible_to(request.user).select_related("client__program", "client__primary_peer")
    plan = get_object_or_404(queryset, uuid=plan_uuid)
    read_by(request, plan, client_uuid=plan.client.uuid, program_id=plan.client.program_id)
    return plan


def ensure_plan_open(request, plan: RecoveryPlan) -> None:
    """403 unless the user carries the participant and this is the plan's current version."""
    ensure_can_edit_participant(request.user, plan.client)
    if not plan.is_current:
        raise PermissionDenied(PLAN_READ_ONLY)


def editable_goal(request, goal_uuid: uuid.UUID) -> Goal:
    queryset = Goal.objects.visible_to(request.user).select_related("plan__client__program")
    goal = get_object_or_404(queryset, uuid=goal_uuid)
    read_by(request, goal, client_uuid=goal.plan.client.uuid, program_id=goal.plan.client.program_id)
    ensure_plan_open(request, goal.plan)
    return goal


def editable_step(request, step_uuid: uuid.UUID) -> ActionStep:
    queryset = ActionStep.objects.visible_to(request.user).select_related("goal__plan__client__program")
    step = get_object_or_404(queryset, uuid=step_uuid)
    client = step.goal.plan.client
    read_by(request, step, client_uuid=client.uuid, program_id=client.program_id)
    ensure_plan_open(request, step.goal.plan)
    return step


def scoped_consent(request, consent_uuid: uuid.UUID) -> Consent:
    queryset = Consent.objects.visible_to(request.user).select_related("client__program", "client__primary_peer")
    consent = get_object_or_404(queryset, uuid=consent_uuid)
    read_by(request, consent, client_uuid=consent.client.uuid, program_id=consent.client.program_id)
    return consent

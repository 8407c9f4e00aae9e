"""What every view of the clients app shares: scoped fetches and write checks (create forms: recovery.once)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from clients.models import ActionStep, Client, Consent, Goal, Objective, RecoveryPlan
from clients.models.plans import PLAN_READ_ONLY
from recovery.audit import log_access, read_by
from recovery.models import AccessLog
from recovery.scoping import ensure_can_edit_participant
from recovery.uploads import serve_upload


def scoped_record(request, queryset, record_uuid: uuid.UUID, *, client=lambda row: row.client, editable=False,
                  set_aside=False):
    """The participant record of ``queryset`` if ``request.user`` may see it (else 404), noted for the access log;
    ``editable``: and if they may change it (they carry the participant; else 403); ``set_aside``: a program
    admin also reaches a record set aside as entered in error (``recovery.scoping.participant_q``).

    ``client`` finds the record's participant (for the log row's participant and program).
    """
    scoped = queryset.visible_to(request.user, set_aside=True) if set_aside else queryset.visible_to(request.user)
    row = get_object_or_404(scoped, uuid=record_uuid)
    participant = client(row)
    read_by(request, row, client_uuid=participant.uuid, program_id=participant.program_id)
    if editable:
        ensure_can_edit_participant(request.user, participant)
    return row


def scoped_client(request, client_uuid: uuid.UUID) -> Client:
    """The participant if ``request.user`` may see them, else 404."""
    return scoped_record(request, Client.objects.select_related("program", "primary_peer"), client_uuid,
                         client=lambda client: client)


def reachable_client(request, client_uuid: uuid.UUID) -> Client:
    """``scoped_client``, and for a program admin also a record set aside as entered in error."""
    return scoped_record(request, Client.objects.select_related("program", "primary_peer", "set_aside_by"),
                         client_uuid, client=lambda client: client, set_aside=True)


def editable_client(request, client_uuid: uuid.UUID) -> Client:
    """The participant if ``request.user`` carries them; 404 out of scope, 403 for read-only roles."""
    return scoped_record(request, Client.objects.select_related("program", "primary_peer"), client_uuid,
                         client=lambda client: client, editable=True)


def scoped_plan(request, plan_uuid: uuid.UUID) -> RecoveryPlan:
    return scoped_record(request, RecoveryPlan.objects.select_related("client__program", "client__primary_peer"),
                         plan_uuid)


def ensure_plan_open(request, plan: RecoveryPlan) -> None:
    """403 unless the user carries the participant and this is the plan's current version."""
    ensure_can_edit_participant(request.user, plan.client)
    if not plan.is_current:
        raise PermissionDenied(PLAN_READ_ONLY)


def editable_goal(request, goal_uuid: uuid.UUID) -> Goal:
    goal = scoped_record(request, Goal.objects.select_related("plan__client__program"), goal_uuid,
                         client=lambda goal: goal.plan.client)
    ensure_plan_open(request, goal.plan)
    return goal


def editable_step(request, step_uuid: uuid.UUID) -> ActionStep:
    step = scoped_record(request, ActionStep.objects.select_related("goal__plan__client__program"), step_uuid,
                         client=lambda step: step.goal.plan.client)
    ensure_plan_open(request, step.goal.plan)
    return step


def editable_objective(request, objective_uuid: uuid.UUID) -> Objective:
    objective = scoped_record(request, Objective.objects.select_related("goal__plan__client__program"),
                              objective_uuid, client=lambda objective: objective.goal.plan.client)
    ensure_plan_open(request, objective.goal.plan)
    return objective


def download_scan(request, record, field_file, stem: str):
    """A record's scanned document as a download named ``stem`` + its type (no participant name), with its
    DOWNLOAD row in the access log. Call after the scoped fetch of ``record``."""
    if not field_file:
        raise Http404("No scanned copy.")
    suffix = field_file.name.rsplit(".", 1)[-1] if "." in field_file.name else "bin"
    try:
        response = serve_upload(field_file, f"{stem}.{suffix}")
    except FileNotFoundError:
        raise Http404("The scanned copy is missing from storage.") from None
    log_access(request, record, client_uuid=record.client.uuid, program_id=record.client.program_id,
               action=AccessLog.Action.DOWNLOAD)
    return response


def scoped_consent(request, consent_uuid: uuid.UUID) -> Consent:
    return scoped_record(request, Consent.objects.select_related("client__program", "client__primary_peer"),
                         consent_uuid)

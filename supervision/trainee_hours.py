"""Supervision hours toward a trainee's certification, supplied to peers' progress computation.

``peers.querysets.trainee_hours_logged`` sums hours from the providers in
``peers.querysets.SUPERVISED_HOURS``; ``SupervisionConfig.ready()`` adds ``supervision_hours_attended``
there, so peers never reads supervision's tables.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round

from peers.querysets import HOURS_FIELD, ZERO
from supervision.models import Attendance, SupervisionSession


def supervision_hours_attended(membership_ref: str) -> Coalesce:
    """Hours of the signed supervision sessions the staff member attended (``Attendance`` has one row per
    supervisee and session, so a group session counts its duration once for each of its supervisees)."""
    sessions = Attendance.objects.filter(
        membership_id=OuterRef(membership_ref), session__signed_at__isnull=False,
    ).order_by().values("membership_id").annotate(
        total=Round(Cast(Sum("session__duration_minutes"), HOURS_FIELD) / Value(Decimal(60)), 2,
                    output_field=HOURS_FIELD),
    ).values("total")
    return Coalesce(Subquery(sessions, output_field=HOURS_FIELD), ZERO, output_field=HOURS_FIELD)


def supervision_sessions_attended(membership, viewer) -> list[SupervisionSession]:
    """``peers.querysets.SUPERVISED_SESSIONS``: the signed sessions ``membership`` attended, newest first
    (the ones ``supervision_hours_attended`` counts; a viewer of the staff record may open each)."""
    return list(SupervisionSession.objects.visible_to(viewer).signed().attended_by(membership)
                .select_related("supervisor").order_by("-held_on", "-pk"))

"""The caseload review dashboard: one row per supervisee, each number a link to the list behind it.

Every number is counted from the very queryset its list shows (``Metric.items``), once with the
supervisee as an ``OuterRef`` (a correlated subquery per column, so the whole table is one query
whatever the team's size) and once with the supervisee's id (the list page). Both go through the
viewer's ``visible_to``, so a number never counts what its list would hide.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Func, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from clients.models import Client
from peers.models import Credential
from recovery.models import Membership, Program
from recovery.scoping import staff_q
from supervision.models import Attendance


@dataclass(frozen=True)
class Context:
    """Who looks, at which program, when (the program's today and the current time)."""

    viewer: object
    program: Program
    today: datetime.date
    now: datetime.datetime


@dataclass(frozen=True)
class Metric:
    slug: str
    label: str
    # (context, supervisee's user id or OuterRef to it) -> the rows behind the number
    items: Callable[[Context, object], QuerySet]
    row_template: str
    description: str = ""
    warn: bool = False  # a non-zero number needs attention
    params: dict = field(default_factory=dict)


def _active_participants(ctx: Context, peer) -> QuerySet:
    return (Client.objects.visible_to(ctx.viewer)
            .filter(program=ctx.program, primary_peer_id=peer, status=Client.Status.ACTIVE))


METRICS: list[Metric] = [
    Metric("active", "Active participants", _active_participants, "supervision/metrics/participant.html",
           "Enrolled participants they carry."),
]
BY_SLUG = {metric.slug: metric for metric in METRICS}


def metric_list(metric: Metric, ctx: Context, supervisee: Membership) -> QuerySet:
    return metric.items(ctx, supervisee.user_id)


def _count(queryset: QuerySet) -> Coalesce:
    # COUNT over the correlated rows without GROUP BY: one number per supervisee row.
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def supervisees(viewer, program: Program) -> QuerySet[Membership]:
    """The staff whose caseloads the viewer reviews: a supervisor's supervisees; for a program admin,
    every peer specialist and every supervised staff member of the program. Never the viewer."""
    return (Membership.objects.filter(staff_q(viewer), program=program, is_active=True)
            .filter(Q(role=Membership.Role.PEER) | Q(supervisor__isnull=False))
            .exclude(user=viewer))


def last_supervision(membership_ref: str = "pk") -> Subquery:
    """The date of the latest signed session the (outer) membership attended."""
    attended = Attendance.objects.filter(membership=OuterRef(membership_ref), session__signed_at__isnull=False)
    return Subquery(attended.order_by().values("membership_id").annotate(last=Max("session__held_on"))
                    .values("last")[:1])


@dataclass
class Row:
    membership: Membership
    numbers: list[tuple[Metric, int]]
    credentials: list[Credential]
    last_supervision: datetime.date | None
    supervision_overdue: bool


def dashboard_rows(ctx: Context) -> list[Row]:
    """The dashboard's rows, in two queries: supervisees with every number, then their open credentials."""
    counts = {m.slug: _count(m.items(ctx, OuterRef("user_id"))) for m in METRICS}
    memberships = list(
        supervisees(ctx.viewer, ctx.program).select_related("user")
        .annotate(**{f"n_{slug}": value for slug, value in counts.items()}, last_supervised=last_supervision())
        .order_by("user__full_name", "pk")
    )
    credentials: dict[int, list[Credential]] = {}
    rows = (Credential.objects.open().filter(membership__in=[m.pk for m in memberships])
            .with_status(ctx.today).select_related("type").order_by("type__name", "pk"))
    for credential in rows:
        credentials.setdefault(credential.membership_id, []).append(credential)
    frequency = datetime.timedelta(days=ctx.program.supervision_frequency_days)
    return [
        Row(membership=m, numbers=[(metric, getattr(m, f"n_{metric.slug}")) for metric in METRICS],
            credentials=credentials.get(m.pk, []), last_supervision=m.last_supervised,
            supervision_overdue=m.last_supervised is None or ctx.today - m.last_supervised > frequency)
        for m in memberships
    ]

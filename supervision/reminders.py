"""Supervision reminders and the supervisors' weekly digest (recovery/reminders.py explains sweeps)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial

from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from recovery.models import Membership, Program
from recovery.notify import Draft
from recovery.reminders import admin_ids, batched, drafts_for
from supervision.dashboard import METRICS, Context, dashboard_rows, last_supervision


def supervision_overdue(program: Program, today: date) -> Iterator[list[Draft]]:
    """A supervised staff member without a signed supervision session for longer than the program's
    ``supervision_frequency_days`` (counted from their start in the program before the first one): their
    supervisor and the program admins, once per person and last session."""
    admins = admin_ids(program)
    frequency = timedelta(days=program.supervision_frequency_days)
    memberships = (
        Membership.objects.filter(program=program, is_active=True, user__is_active=True, supervisor__isnull=False)
        .filter(Q(role=Membership.Role.PEER) | Q(role=Membership.Role.SUPERVISOR))
        .select_related("user")
        .annotate(since=Coalesce(last_supervision(), TruncDate("created_at")))
    )
    for rows in batched(memberships):
        drafts: list[Draft] = []
        for membership in rows:
            if today - membership.since <= frequency:
                continue
            days = (today - membership.since).days
            drafts += drafts_for(
                [membership.supervisor_id, *admins], kind="supervision_overdue", program_id=program.pk,
                url=reverse("supervision:dashboard"),
                title=partial(_overdue_title, membership.user.full_name, days),
                dedupe_key=f"supervision_overdue:{membership.pk}:{membership.since}",
            )
        yield drafts


# Titles and bodies are deferred (``partial``; ``lazy()`` builds a class per call): each is written in its
# recipient's language when it is stored.
def _overdue_title(name: str, days: int) -> str:
    return ngettext("%(name)s has had no supervision for %(days)s day",
                    "%(name)s has had no supervision for %(days)s days", days) % {"name": name, "days": days}


def _digest_title(team_size: int) -> str:
    return ngettext("Your team this week (%(total)s person)", "Your team this week (%(total)s people)",
                    team_size) % {"total": team_size}


def _digest_body(ctx: Context, totals: dict, overdue: int, team_size: int) -> str:
    lines = [f"{metric.title(ctx)}: {totals[metric.slug]}" for metric in METRICS]
    lines.append(ngettext("Supervision overdue: %(overdue)s of %(total)s person",
                          "Supervision overdue: %(overdue)s of %(total)s people", team_size)
                 % {"overdue": overdue, "total": team_size})
    return "\n".join(lines)


def weekly_digest(program: Program, today: date) -> Iterator[list[Draft]]:
    """On the program's digest day, from its digest hour (program time): each supervisor gets their
    team's dashboard numbers, added up. Once per supervisor and week. Counts only, never names."""
    now = timezone.localtime(timezone.now(), program.zone)
    if today.weekday() != program.digest_weekday or now.date() != today or now.hour < program.digest_hour:
        return
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    supervisors = Membership.objects.filter(program=program, role=Membership.Role.SUPERVISOR, is_active=True,
                                            user__is_active=True).select_related("user")
    for rows in batched(supervisors, size=50):
        drafts = []
        for membership in rows:
            ctx = Context(viewer=membership.user, program=program, today=today, now=timezone.now())
            team = dashboard_rows(ctx)
            totals = {metric.slug: 0 for metric in METRICS}
            for row in team:
                for metric, number in row.numbers:
                    totals[metric.slug] += number
            overdue = sum(1 for row in team if row.supervision_overdue)
            drafts.append(Draft(
                recipient_id=membership.user_id, kind="weekly_digest", program_id=program.pk,
                url=reverse("supervision:dashboard"),
                title=partial(_digest_title, len(team)),
                body=partial(_digest_body, ctx, totals, overdue, len(team)), dedupe_key=f"weekly_digest:{week}",
            ))
        yield drafts

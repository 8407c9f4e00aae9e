"""The peer's part of "My day" (``recovery.dashboards.MY_DAY_SECTIONS``): what to act on today.

Follow-ups due today or overdue, drafts to sign (with the time left before they become late entries),
participants not reached within the program's ``no_contact_days``, and recent crisis flags; then what is
coming this week (issue 15, point 9): follow-ups due in the next seven days and plan reviews due by then. Each list is
one query whatever the caseload (its total comes with it, as a window count), so the page stays fast
with years of notes.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Window
from django.utils import timezone

from clients.models import Client, FollowUp, RecoveryPlan, SessionNote
from recovery.audit import log_access
from recovery.compiled import compiled_list, record_key
from recovery.models import AccessLog
from recovery.scoping import scope_key

SHOWN = 15
WEEK = 7  # "this week": the next seven days


def _with_total(queryset):
    return queryset.annotate(total=Window(Count("pk")))


def _total(rows: list) -> int:
    return rows[0].total if rows else 0


def carries_caseload(request) -> bool:
    """Whether the user carries participants in the current program (asked once per request: the
    sections of the apps above ask it too)."""
    if not hasattr(request, "_carries_caseload"):
        request._carries_caseload = Client.objects.filter(program=request.membership.program,
                                                          primary_peer=request.user).exists()
    return request._carries_caseload


def for_caseload(request) -> bool:
    """Whether My day's caseload sections apply: to a peer, and to a supervisor who carries participants
    (a supervisor without a caseload of their own: one query, nothing to show); never to an admin."""
    membership = request.membership
    if membership.is_admin:
        return False
    return not membership.is_supervisor or carries_caseload(request)


def section(request) -> dict | None:
    """The section for a peer (and a supervisor who carries participants); None for anyone else."""
    if not for_caseload(request):
        return None
    user, program = request.user, request.membership.program
    today, now = program.today(), timezone.now()
    # Each list's SQL depends on these alone (recovery.compiled): compiled once per process for them.
    key = (scope_key(user), record_key(program), today)
    followups = compiled_list(("clients.my_day.followups", *key), lambda: _with_total(
        FollowUp.objects.visible_to(user).filter(client__program=program).on_desk_of(user).due_by(today)
        .select_related("client")).order_by("due_on", "pk")[:SHOWN])
    drafts = compiled_list(("clients.my_day.drafts", *key), lambda: _with_total(
        SessionNote.objects.visible_to(user).drafts().filter(client__program=program, author=user)
        .select_related("client")).order_by("ended_at", "pk")[:SHOWN])
    quiet = compiled_list(("clients.my_day.quiet", *key), lambda: _with_total(
        Client.objects.visible_to(user).filter(program=program, primary_peer=user, status=Client.Status.ACTIVE)
        .with_contact(today).filter(contact_due=True)).order_by(F("contact_since").asc(nulls_first=True),
                                                                  "name_key")[:SHOWN])
    crises = compiled_list(("clients.my_day.crises", *key), lambda: _with_total(
        SessionNote.objects.visible_to(user).recent_crises(program, today, user.pk).select_related("client", "author"))
        .order_by("-session_date", "-ended_at", "-pk")[:SHOWN])
    # The lists name participants and crisis details: a read of participant data, like the caseload.
    log_access(request, "clients.my_day", action=AccessLog.Action.LIST, program_id=program.pk)
    return {**_coming(user, program, today, key),
        "today": today, "now": now, "program": program,
        "followups": [(f, (today - f.due_on).days) for f in followups], "followups_total": _total(followups),
        "drafts": [(n, n.sign_deadline(program)) for n in drafts], "drafts_total": _total(drafts),
        "quiet": [(c, (today - c.contact_since).days if c.contact_since else None) for c in quiet],
        "quiet_total": _total(quiet), "crises": crises, "crises_total": _total(crises),
    }


def _coming(user, program, today: datetime.date, key: tuple) -> dict:
    """What is coming in the next seven days: open follow-ups due after today, and the plan reviews of the
    user's participants due by then (overdue ones included: a review not yet done is still to do)."""
    week_end = today + datetime.timedelta(days=WEEK)
    upcoming = compiled_list(("clients.my_day.upcoming", *key), lambda: _with_total(
        FollowUp.objects.visible_to(user).filter(client__program=program, due_on__gt=today).on_desk_of(user)
        .due_by(week_end).select_related("client")).order_by("due_on", "pk")[:SHOWN])
    reviews = compiled_list(("clients.my_day.reviews", *key), lambda: _with_total(
        RecoveryPlan.objects.visible_to(user).filter(
            client__program=program, client__primary_peer=user, client__status=Client.Status.ACTIVE,
            status=RecoveryPlan.Status.ACTIVE, review_on__lte=week_end).select_related("client"))
        .order_by("review_on", "pk")[:SHOWN])
    return {"week_end": week_end,
            "upcoming": [(f, (f.due_on - today).days) for f in upcoming], "upcoming_total": _total(upcoming),
            "reviews": [(p, (p.review_on - today).days, (today - p.review_on).days) for p in reviews],
            "reviews_total": _total(reviews)}

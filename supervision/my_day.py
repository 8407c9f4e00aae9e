"""The supervision part of "My day" (``recovery.dashboards.MY_DAY_SECTIONS``): what to act on today.

For everyone: signed sessions to acknowledge, notes returned for an addendum, action items due within a
week (or overdue). For supervisors and admins: notes waiting for their review and supervisees overdue
for supervision. At most three queries whatever the team's size; None when there is nothing to do.
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Value

from recovery.compiled import compiled_list, record_key
from recovery.models import Membership
from recovery.scoping import scope_key
from supervision.dashboard import count_of, last_supervision, supervisees
from supervision.models import ActionItem, NoteReview, SupervisionSession

DUE_SOON_DAYS = 7
SHOWN = 5


def _counts(user, membership) -> QuerySet:
    """Sessions to acknowledge, notes returned to the user, notes waiting for their review: one query."""
    program = membership.program
    unacknowledged = SupervisionSession.objects.visible_to(user).signed().filter(
        program=program, attendances__membership=OuterRef("pk"), attendances__acknowledged_at__isnull=True)
    mine = NoteReview.objects.visible_to(user)
    returned = mine.returned().filter(author_membership=OuterRef("pk"))
    # An admin's count of the notes waiting for their review. A peer reviews nobody's notes; a supervisor's
    # own are listed by the oversight section (supervision/oversight.py), not counted again here.
    to_review = (count_of(mine.for_reviewer(user).pending().filter(author_membership__program=program))
                 if membership.is_admin else Value(0))
    return Membership.objects.filter(pk=membership.pk).annotate(
        to_acknowledge=count_of(unacknowledged), returned=count_of(returned), to_review=to_review,
    ).values("to_acknowledge", "returned", "to_review")


def section(request) -> dict | None:
    membership = request.membership
    user, program = request.user, membership.program
    today = program.today()
    # Each query's SQL depends on these alone (recovery.compiled): compiled once per process for them.
    key = (scope_key(user), record_key(membership), record_key(program), today)
    (counts,) = compiled_list(("supervision.my_day.counts", *key), lambda: _counts(user, membership))
    context = {
        **counts, "today": today, "overdue": [],
        "items": compiled_list(("supervision.my_day.items", *key), lambda: (
            ActionItem.objects.visible_to(user).of_signed_sessions().open()
            .filter(session__program=program, assignee=user, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
            .order_by("due_on", "pk")[:SHOWN])),
    }
    if not membership.is_peer:
        cutoff = today - datetime.timedelta(days=program.supervision_frequency_days)
        context["overdue"] = compiled_list(("supervision.my_day.overdue", *key), lambda: (
            supervisees(user, program).filter(supervisor=user).select_related("user")
            .annotate(last_supervised=last_supervision())
            .filter(Q(last_supervised__lt=cutoff) | Q(last_supervised__isnull=True))
            .order_by(F("last_supervised").asc(nulls_first=True), "user__full_name")))
    if not any(context[k] for k in ("to_acknowledge", "returned", "items", "to_review", "overdue")):
        return None
    return context

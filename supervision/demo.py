"""Demo supervision: four months of sessions for the demo team, dated relative to today, and note reviews.

Monthly individual sessions for each peer, a group session for the two trainees, acknowledgements
(the latest one still waiting), action items (done, open, one overdue), an addendum, and a draft.
Idempotent: each session's uuid is derived from its key in the plan, so a session already there is
left alone (a signed session cannot change anyway).

Reviews: the demo notes of the last REVIEW_DAYS days go through the program's review rule; those signed
more than PENDING_DAYS ago were approved a day after signing, the newer ones wait, and one of them was
returned with a comment.
"""

from __future__ import annotations

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from clients.models import Client, SessionNote
from recovery.demo import demo_data
from recovery.models import Membership
from supervision.models import (
    ActionItem,
    Attendance,
    NoteReview,
    NoteReviewDecision,
    SupervisionAddendum,
    SupervisionSession,
    Topic,
)
from supervision.reviews import note_review_enqueue
from supervision.topics import topics_load_defaults

NAMESPACE = uuid.UUID("6f1d3c1e-5b5a-4e84-9d0c-1b7a2f4c9e11")
SIGNED_AT = datetime.time(17, 0)
REVIEW_DAYS = 30
PENDING_DAYS = 4
RETURN_COMMENT = ("Thanks for the detail. Please add what you and the participant agreed as the next step, "
                  "and by when.")

# The sessions (supervision/data/demo_sessions.json): a key (the session's uuid derives from it), the
# supervisees' emails, days ago, minutes, format, and whether it is signed and acknowledged.
SESSIONS = demo_data(__file__, "sessions")
TOPIC_SETS = [
    ["case-review", "documentation"],
    ["ethics-boundaries", "self-care"],
    ["case-review", "resources"],
    ["skills", "crisis-safety"],
    ["certification", "self-care"],
]
NOTES = [
    "Reviewed the caseload together. Talked about pacing visits and keeping notes short and same-day.",
    "Talked through a boundary question (a participant's invitation to a family event) and how to answer warmly.",
    "Went over resources for housing and transport; agreed to map the bus lines near the office.",
    "Practised a crisis conversation; went through the safety plan template and who to call after hours.",
    "Checked hours toward certification and planned the ethics course; talked about rest and time off.",
]
ITEMS = [
    "Write notes the same day for a week and tell me how it went",
    "Read the agency's policy on gifts and social media",
    "Map bus lines to the three clinics most participants use",
    "Practise the safety-plan conversation with a colleague",
    "Sign up for the March ethics course",
]


def seed(ctx) -> None:
    topics_load_defaults(Topic, ctx.program)
    rng = random.Random("lantern-demo-supervision")
    by_code = {t.code: t for t in Topic.objects.filter(program=ctx.program)}
    memberships = {m.user.email: m for m in Membership.objects.filter(program=ctx.program).select_related("user")}
    for index, planned in enumerate(SESSIONS):
        draws = {"topics": rng.randrange(len(TOPIC_SETS)), "discussed": rng.random(), "items": rng.randrange(1, 3)}
        session_uuid = uuid.uuid5(NAMESPACE, f"{ctx.program.pk}-{planned['key']}")
        emails = planned["supervisees"]
        if SupervisionSession.objects.filter(uuid=session_uuid).exists() or not all(e in memberships for e in emails):
            continue
        with transaction.atomic():
            _session(ctx, session_uuid, planned, [memberships[e] for e in emails], index, draws, by_code)
    with transaction.atomic():
        _reviews(ctx)


def _session(ctx, session_uuid, planned: dict, supervisees, index, draws, by_code):
    kind = SupervisionSession.Kind.GROUP if len(supervisees) > 1 else SupervisionSession.Kind.INDIVIDUAL
    pick = draws["topics"]
    today = ctx.program.today()
    held_on = today - datetime.timedelta(days=planned["days_ago"])
    session = SupervisionSession.objects.create(
        uuid=session_uuid, program=ctx.program, supervisor=ctx.supervisor, kind=kind, held_on=held_on,
        duration_minutes=planned["minutes"], format=planned["format"], notes=NOTES[pick],
    )
    for membership in supervisees:
        Attendance.objects.create(session=session, membership=membership)
    session.topics.set([by_code[code] for code in TOPIC_SETS[pick] if code in by_code])
    caseload = Client.objects.filter(program=ctx.program, primary_peer__in=[m.user for m in supervisees],
                                     status=Client.Status.ACTIVE).order_by("name_key", "pk")
    if "case-review" in TOPIC_SETS[pick] or draws["discussed"] < 0.5:
        session.participants_discussed.set(list(caseload[: 1 + index % 2]))
    for n in range(draws["items"]):
        due = held_on + datetime.timedelta(days=14 + 7 * n)
        # Older items are done; the newest stay open (one of them, due already, is overdue).
        done = due < today - datetime.timedelta(days=20)
        assignee = supervisees[n % len(supervisees)].user
        ActionItem.objects.create(
            session=session, assignee=assignee, description=ITEMS[(pick + n) % len(ITEMS)], due_on=due,
            done_at=_at(ctx, due - datetime.timedelta(days=2)) if done else None, done_by=assignee if done else None,
        )
    if not planned["signed"]:
        return
    SupervisionSession.objects.filter(pk=session.pk).update(signed_at=_at(ctx, held_on, SIGNED_AT))
    if planned["acknowledged"]:
        Attendance.objects.filter(session=session).update(
            acknowledged_at=_at(ctx, held_on + datetime.timedelta(days=1)))
    if index == 1:
        SupervisionAddendum.objects.create(
            session=session, author=ctx.supervisor,
            text="Correction: we also agreed to check in by phone mid-month until the next session.",
        )


def _at(ctx, day: datetime.date, time: datetime.time = datetime.time(10, 0)) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=ctx.program.zone)


def _reviews(ctx) -> None:
    """Queue the recent demo notes, approve the older ones as their supervisor did, return one."""
    since = ctx.program.today() - datetime.timedelta(days=REVIEW_DAYS)
    notes = (SessionNote.objects.signed().filter(client__program=ctx.program, session_date__gte=since)
             .select_related("client").order_by("signed_at", "pk"))
    for note in notes:
        note_review_enqueue(note=note)
    reviews = NoteReview.objects.filter(author_membership__program=ctx.program).select_related("author_membership")
    cutoff = ctx.program.today() - datetime.timedelta(days=PENDING_DAYS)
    for review in reviews.pending().filter(note__session_date__lt=cutoff, decided_at__isnull=True):
        _decide(review, NoteReviewDecision.Decision.APPROVED, "")
    returned_before = NoteReviewDecision.objects.filter(review__author_membership__program=ctx.program,
                                                        decision=NoteReviewDecision.Decision.RETURNED)
    newest = reviews.pending().filter(author_membership__user=ctx.peer).order_by("-queued_at", "-pk").first()
    if newest is not None and not returned_before.exists():
        _decide(newest, NoteReviewDecision.Decision.RETURNED, RETURN_COMMENT)


def _decide(review: NoteReview, decision: str, comment: str) -> None:
    supervisor = review.author_membership.supervisor
    if supervisor is None:
        return
    decided_at = min(review.queued_at + datetime.timedelta(hours=20), timezone.now())
    NoteReviewDecision.objects.create(review=review, decision=decision, comment=comment, decided_by=supervisor,
                                      decided_at=decided_at, waited=decided_at - review.queued_at)
    NoteReview.objects.filter(pk=review.pk).update(status=decision, decided_at=decided_at)

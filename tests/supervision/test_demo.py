"""seed_demo's supervision: months of sessions for the demo team; running it twice changes nothing."""

from __future__ import annotations

import datetime

from clients.models import Client
from peers.models import Credential
from recovery import demo
from supervision.models import (
    ActionItem,
    Attendance,
    NoteReview,
    NoteReviewDecision,
    SupervisionAddendum,
    SupervisionSession,
)
from tests.factories_clients import dimensions
from tests.factories_notes import SessionNoteFactory


def counts() -> tuple[int, ...]:
    return (SupervisionSession.objects.count(), Attendance.objects.count(), ActionItem.objects.count(),
            SupervisionAddendum.objects.count())


def test_seed_demo_adds_a_realistic_supervision_history_once(db):
    dimensions()
    ctx = demo.seed()
    sessions = SupervisionSession.objects.filter(program=ctx.program, supervisor=ctx.supervisor)
    assert sessions.filter(kind="group").signed().count() == 2
    assert sessions.filter(signed_at__isnull=True).count() == 1
    assert sessions.filter(held_on__lt=ctx.program.today().replace(day=1)).count() >= 8  # months, not days
    waiting = Attendance.objects.filter(session__signed_at__isnull=False, acknowledged_at__isnull=True)
    assert list(waiting.values_list("membership__user__email", flat=True)) == ["peer@demo.example"]
    items = ActionItem.objects.filter(session__program=ctx.program)
    assert items.filter(done_at__isnull=False).exists()
    assert items.filter(done_at__isnull=True, due_on__lt=ctx.program.today()).exists()
    assert SupervisionAddendum.objects.count() == 1
    before = counts()
    demo.seed()
    assert counts() == before


def test_the_demo_trainee_nearly_there_stays_short_of_25_supervision_hours(db):
    dimensions()
    ctx = demo.seed()
    alex = Credential.objects.filter(membership__user__email="alex.kim@demo.example").with_status(
        ctx.program.today()).get()
    assert alex.supervision_logged == 23  # 21 logged by hand + two signed group sessions of an hour
    assert 0 < alex.supervision_needed < 25


def test_seed_demo_puts_recent_notes_through_review_with_one_returned(db):
    dimensions()
    ctx = demo.seed()
    for user, days_ago in [(ctx.peer, 3), (ctx.peer, 25), (ctx.peer2, 2), (ctx.peer, 1), (ctx.peer2, 90)]:
        client = Client.objects.filter(primary_peer=user, status=Client.Status.ACTIVE).first()
        SessionNoteFactory(client=client, session_date=ctx.program.today() - datetime.timedelta(days=days_ago),
                           signed=True)
    demo.seed()
    reviews = NoteReview.objects.filter(author_membership__program=ctx.program)
    assert reviews.count() == 4  # the one of 90 days ago predates the queue
    assert reviews.filter(status="approved").count() == 1
    returned = reviews.get(status="returned")
    assert returned.author_membership.user == ctx.peer
    assert returned.note.session_date == ctx.program.today() - datetime.timedelta(days=1)
    assert reviews.filter(status="pending").count() == 2
    before = (reviews.count(), NoteReviewDecision.objects.count())
    demo.seed()
    assert (reviews.count(), NoteReviewDecision.objects.count()) == before

"""seed_demo's supervision: months of sessions for the demo team; running it twice changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from clients.models import Client, SessionNote
from peers.models import Credential
from recovery import demo
from supervision import demo as supervision_demo
from supervision.models import (
    ActionItem,
    Attendance,
    NoteReview,
    NoteReviewDecision,
    SupervisionAddendum,
    SupervisionSession,
)
from tests.conftest import demo_seeded_once_after
from tests.factories import SessionNoteFactory, dimensions

pytestmark = pytest.mark.xdist_group("supervision-demo")  # one test process seeds once for the module

demo_seeded_once = demo_seeded_once_after(dimensions)


def counts() -> tuple[int, ...]:
    return (SupervisionSession.objects.count(), Attendance.objects.count(), ActionItem.objects.count(),
            SupervisionAddendum.objects.count())


def test_seed_demo_adds_a_realistic_supervision_history_once(ctx):
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


def test_the_demo_trainee_nearly_there_stays_short_of_25_supervision_hours(ctx):
    alex = Credential.objects.filter(membership__user__email="alex.kim@demo.example").with_status(
        ctx.program.today()).get()
    assert alex.supervision_logged == 23  # 21 logged by hand + two signed group sessions of an hour
    assert 0 < alex.supervision_needed < 25


def test_seed_demo_puts_recent_notes_through_review_with_one_returned(ctx):
    today = ctx.program.today()
    recent = SessionNote.objects.signed().filter(
        client__program=ctx.program, session_date__gte=today - datetime.timedelta(days=supervision_demo.REVIEW_DAYS))
    if not recent.exists():  # the clients demo has no notes: give the peers a few
        for user, days_ago in [(ctx.peer, 3), (ctx.peer, 25), (ctx.peer2, 2), (ctx.peer, 1)]:
            client = Client.objects.filter(primary_peer=user, status=Client.Status.ACTIVE).first()
            SessionNoteFactory(client=client, session_date=today - datetime.timedelta(days=days_ago), signed=True)
        demo.seed()
    reviews = NoteReview.objects.filter(author_membership__program=ctx.program)
    assert set(recent.values_list("pk", flat=True)) <= set(reviews.values_list("note_id", flat=True))
    settled = today - datetime.timedelta(days=supervision_demo.PENDING_DAYS)
    assert not reviews.filter(note__session_date__lt=settled).exclude(status__in=["approved", "returned"]).exists()
    assert reviews.filter(status="approved").exists() and reviews.filter(status="pending").exists()
    returned = reviews.get(status="returned")
    assert returned.author_membership.user == ctx.peer
    assert returned.decisions.get().comment == supervision_demo.RETURN_COMMENT
    approved = NoteReviewDecision.objects.filter(decision="approved").first()
    assert approved.waited.total_seconds() > 0 and approved.decided_at <= timezone.now()
    before = (reviews.count(), NoteReviewDecision.objects.count())
    demo.seed()
    assert (reviews.count(), NoteReviewDecision.objects.count()) == before

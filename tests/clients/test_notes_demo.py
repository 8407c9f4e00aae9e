"""seed_demo's notes: a year of realistic history for the demo caseloads, deterministic and idempotent (its
speed is `make run`'s to show, not a timed test's: a loaded machine made a time limit fail at random)."""

from __future__ import annotations

import datetime

import pytest

from clients.models import FollowUp, GroupSession, NoteAddendum, NoteGoal, SessionNote
from recovery import demo
from recovery.models import Notification
from tests.conftest import demo_seeded_once_after
from tests.factories import dimensions

pytestmark = pytest.mark.xdist_group("clients-notes-demo")  # one test process seeds once for the module

demo_seeded_once = demo_seeded_once_after(dimensions)


def test_seed_demo_writes_a_year_of_notes_in_realistic_states(ctx):
    today = ctx.program.today()
    notes = SessionNote.objects.filter(client__program=ctx.program)
    assert notes.count() > 500
    assert notes.filter(session_date__lt=today - datetime.timedelta(days=300)).exists()
    assert not notes.filter(session_date__gt=today).exists()
    assert 2 <= notes.drafts().count() <= 15
    assert notes.filter(late_entry=True).count() >= 5
    assert notes.signed().filter(units_billable__isnull=True).count() == 0
    assert notes.filter(crisis_flag=True).count() == 2
    assert GroupSession.objects.filter(program=ctx.program).count() == 1
    assert notes.filter(group__isnull=False).count() == 3
    assert NoteAddendum.objects.filter(note__client__program=ctx.program).count() == 6
    assert NoteGoal.objects.filter(note__client__program=ctx.program).exists()
    assert {n.author_id for n in notes} == {ctx.peer.pk, ctx.peer2.pk}
    followups = FollowUp.objects.filter(client__program=ctx.program)
    assert followups.filter(status="done", done_in_note__isnull=False).exists()
    assert followups.open().filter(due_on__lt=today).exists()
    assert followups.open().filter(due_on__gte=today).exists()
    assert not followups.open().filter(client__status="discharged").exists()
    assert Notification.objects.filter(kind="crisis_flag", recipient=ctx.supervisor).count() == 2


def test_seed_demo_twice_adds_no_notes(ctx):
    counts = (SessionNote.objects.count(), FollowUp.objects.count(), NoteAddendum.objects.count(),
              GroupSession.objects.count(), Notification.objects.count())
    demo.seed()
    assert (SessionNote.objects.count(), FollowUp.objects.count(), NoteAddendum.objects.count(),
            GroupSession.objects.count(), Notification.objects.count()) == counts


def test_the_demo_peers_my_day_has_something_in_every_list(ctx, client):
    from django.urls import reverse

    client.force_login(ctx.peer)
    response = client.get(reverse("home"))
    section = next(s.context for s in response.context["sections"] if s.template == "clients/my_day/section.html")
    assert section["followups"] and section["drafts"] and section["quiet"] and section["crises"]

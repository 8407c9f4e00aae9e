"""seed_demo's participants: about forty, across the two demo peers, in realistic states; twice is once."""

from __future__ import annotations

import datetime

import pytest

from clients.models import Client, Consent, Episode, Goal, RecoveryPlan
from recovery import demo
from tests.conftest import demo_seeded_once_after
from tests.factories import dimensions

pytestmark = pytest.mark.xdist_group("clients-demo")  # one test process seeds once for the module

demo_seeded_once = demo_seeded_once_after(dimensions)


def test_seed_demo_adds_participants_in_realistic_states_and_is_idempotent(ctx):
    today = ctx.program.today()
    participants = Client.objects.filter(program=ctx.program)
    assert participants.count() == 40
    assert participants.filter(primary_peer=ctx.peer).count() == 19
    assert participants.filter(primary_peer=ctx.peer2).count() == 19
    assert participants.needing_assignment().count() == 2
    re_enrolled = [c for c in participants if c.episodes.count() == 2]
    assert len(re_enrolled) == 1 and re_enrolled[0].is_active
    assert participants.filter(status=Client.Status.DISCHARGED).count() == 1
    consents = Consent.objects.filter(client__program=ctx.program)
    assert sum(c.status_on(today) == Consent.Status.REVOKED for c in consents) == 1
    assert sum(c.status_on(today) == Consent.Status.EXPIRED for c in consents) == 1
    assert sum(c.expires_within(today, 30) for c in consents) == 1
    assert RecoveryPlan.objects.filter(client__program=ctx.program, status="active").count() == 37
    dims_used = set(Goal.objects.filter(plan__client__program=ctx.program).values_list("dimensions__code", flat=True))
    assert len(dims_used) >= 8
    counts = (Client.objects.count(), Episode.objects.count(), Goal.objects.count(), Consent.objects.count())
    demo.seed()
    assert (Client.objects.count(), Episode.objects.count(), Goal.objects.count(), Consent.objects.count()) == counts


def test_demo_dates_are_in_the_past_or_plausible(ctx):
    today = ctx.program.today()
    assert not Episode.objects.filter(started_on__gt=today).exists()
    assert not Consent.objects.filter(signed_on__gt=today).exists()
    assert not Client.objects.filter(birth_date__gt=today - datetime.timedelta(days=18 * 365)).exists()


def test_demo_history_names_the_peer_who_carries_each_participant(ctx):
    from pghistory.models import Context

    participant = Client.objects.filter(primary_peer=ctx.peer2).first()
    event = participant.events.get(pgh_label="insert")
    assert Context.objects.get(pk=event.pgh_context_id).metadata["user"] == ctx.peer2.pk


def test_demo_reads_like_a_real_program(ctx, login):
    """Issue 15, defect 6: assignment history from the intake, goals with their own steps, and "Needs
    assignment" showing the intake date."""
    from django.urls import reverse

    from clients.demo import GOAL_STEPS, GOALS
    from clients.models import CaseAssignment

    zone = ctx.program.zone
    carried = Client.objects.filter(program=ctx.program, primary_peer__isnull=False)
    for client in carried:
        first_episode = client.episodes.order_by("started_on").first()
        first_assignment = CaseAssignment.objects.filter(client=client).order_by("started_at").first()
        assert first_assignment.started_at.astimezone(zone).date() == first_episode.started_on, client.full_name
        assert client.created_at.astimezone(zone).date() == first_episode.started_on
    steps_of = {text: {what for what, _ in steps} for (text, _), steps in zip(GOALS, GOAL_STEPS, strict=True)}
    step_sets = set()
    for goal in Goal.objects.filter(plan__client__program=ctx.program).prefetch_related("steps"):
        described = {step.description for step in goal.steps.all()}
        assert len(described) >= 2 and described <= steps_of[goal.text], goal.text
        step_sets.add(frozenset(described))
    assert len(step_sets) >= 10  # not the same two steps everywhere

    page = login(ctx.supervisor).get(reverse("clients:caseload")).content.decode()
    waiting = list(Client.objects.filter(program=ctx.program).needing_assignment())
    assert len(waiting) == 2
    for client in waiting:
        started = client.episodes.get(discharged_on__isnull=True).started_on
        assert client.episode_started_on == started
        assert f'<time datetime="{started:%Y-%m-%d}">' in page


def test_needs_assignment_shows_the_intake_date_not_the_day_the_record_was_typed(login, program, supervisor):
    from django.urls import reverse

    from tests.factories import ClientFactory

    client = ClientFactory(program=program, primary_peer=None, created_by=supervisor)
    client.episodes.update(started_on=program.today() - datetime.timedelta(days=61))
    episode = client.episodes.get()
    page = login(supervisor).get(reverse("clients:caseload")).content.decode()
    assert f'intake <time datetime="{episode.started_on:%Y-%m-%d}">{episode.started_on:%b} {episode.started_on.day}, ' \
           f'{episode.started_on.year}</time>' in page

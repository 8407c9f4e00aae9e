"""seed_demo's participants: about forty, across the two demo peers, in realistic states; twice is once."""

from __future__ import annotations

import datetime

from clients.models import Client, Consent, Episode, Goal, RecoveryPlan
from recovery import demo
from tests.factories import dimensions


def test_seed_demo_adds_participants_in_realistic_states_and_is_idempotent(db):
    dimensions()
    ctx = demo.seed()
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


def test_demo_dates_are_in_the_past_or_plausible(db):
    dimensions()
    ctx = demo.seed()
    today = ctx.program.today()
    assert not Episode.objects.filter(started_on__gt=today).exists()
    assert not Consent.objects.filter(signed_on__gt=today).exists()
    assert not Client.objects.filter(birth_date__gt=today - datetime.timedelta(days=18 * 365)).exists()


def test_demo_history_names_the_peer_who_carries_each_participant(db):
    from pghistory.models import Context

    dimensions()
    ctx = demo.seed()
    participant = Client.objects.filter(primary_peer=ctx.peer2).first()
    event = participant.events.get(pgh_label="insert")
    assert Context.objects.get(pk=event.pgh_context_id).metadata["user"] == ctx.peer2.pk

"""Demo outcomes: scores rise with contact and plan progress, stay flat without; GPRA windows in every
state; running the seeder twice adds nothing."""

from __future__ import annotations

from statistics import mean

from outcomes import gpra
from outcomes.demo import _with_engagement
from outcomes.models import CheckIn, Interview, Observation, OutcomeSettings
from recovery import demo
from tests.outcomes.conftest import shipped_scale


def test_the_demo_has_a_year_of_check_ins_rising_only_with_engagement_and_every_gpra_state(db):
    shipped_scale()
    ctx = demo.seed()
    today = ctx.program.today()
    from clients.models import Client

    clients = list(_with_engagement(Client.objects.filter(program=ctx.program, primary_peer__isnull=False), today))
    rises = {True: [], False: []}
    for client in clients:
        scores = [c.score for c in CheckIn.objects.filter(client=client).order_by("taken_on") if c.score is not None]
        if len(scores) >= 3:
            rises[client.contacts >= 4 and client.progressed].append(scores[-1] - scores[0])
    assert rises[True] and rises[False]
    assert mean(rises[True]) >= 8 and abs(mean(rises[False])) <= 3
    settings = OutcomeSettings.of(ctx.program)
    states = {w.state for w in gpra.windows(ctx.program, settings, today)}
    assert states == {gpra.UPCOMING, gpra.DUE, gpra.COMPLETED, gpra.NOT_COMPLETED, gpra.MISSED}
    assert any(w.closing_soon for w in gpra.windows(ctx.program, settings, today))
    assert Observation.objects.filter(declined=True).exists()
    counts = (CheckIn.objects.count(), Interview.objects.count(), Observation.objects.count())
    demo.seed()
    assert (CheckIn.objects.count(), Interview.objects.count(), Observation.objects.count()) == counts

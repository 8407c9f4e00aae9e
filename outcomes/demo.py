"""Demo outcomes: a year of BARC-10 check-ins, GPRA windows in every state, some demographics.

Recovery capital rises for participants with regular contact (signed notes) and progress on their plan
(a goal achieved or a step done), and stays flat for the others (DOMAIN.md: follow-up engagements and
goals completed predicted the rise). Idempotent: a participant who already has check-ins or GPRA
interviews is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from clients.models import ActionStep, Client, Episode, Goal, SessionNote
from outcomes.models import CheckIn, Instrument, Interview, Observation, OutcomeSettings, Scale
from outcomes.models.gpra import add_months
from outcomes.services import checkin_record

RACES = ["white", "hispanic-latino"]
REGULAR_CONTACTS = 4  # signed notes in the last year that make "regular contact"

# GPRA intake (months ago), follow-up (months after intake, outcome) — one of each state.
GPRA_CASES = [
    (2, None),                      # upcoming
    (6, None),                      # due now
    (7, None),                      # closing within 30 days (the window closes at 8 months)
    (11, (6, "completed")),         # completed in window
    (10, (6, "refused")),           # not completed
    (12, None),                     # missed
    (9, (9, "completed")),          # completed, but after the window closed
    (10, (7, "completed")),         # completed in window
]


def seed(ctx) -> None:
    program, today = ctx.program, ctx.program.today()
    OutcomeSettings.objects.update_or_create(program=program, defaults={"gpra_enabled": True})
    instrument = Instrument.objects.filter(program__isnull=True, code="barc-10").first()
    if instrument is None:
        return
    scale = Scale.load(instrument)
    clients = list(_with_engagement(Client.objects.filter(program=program, primary_peer__isnull=False),
                                    today).order_by("name_key", "pk"))
    rng = random.Random(20260601)
    for index, client in enumerate(clients):
        if not client.has_checkins:
            engaged = client.contacts >= REGULAR_CONTACTS and client.progressed
            _checkins(client, scale, today, rng, engaged=engaged, skip_latest=index % 5 == 0)
        if index < len(GPRA_CASES) and not client.has_interviews:
            _interviews(client, today, *GPRA_CASES[index])
        if index % 3 == 0 and not client.has_observations:
            _observations(client, today, index)


def _with_engagement(clients, today: datetime.date):
    year_ago = today - datetime.timedelta(days=365)
    progressed = Q(Exists(Goal.objects.filter(plan__client=OuterRef("pk"), status=Goal.Status.ACHIEVED))) | Q(
        Exists(ActionStep.objects.filter(goal__plan__client=OuterRef("pk"), done_on__isnull=False)))
    return clients.annotate(
        contacts=Count("notes", filter=Q(notes__status=SessionNote.Status.SIGNED, notes__session_date__gte=year_ago)),
        intake_on=Subquery(Episode.objects.filter(client=OuterRef("pk")).order_by("started_on").values("started_on")[:1]),
        progressed=progressed,
        has_checkins=Exists(CheckIn.objects.filter(client=OuterRef("pk"))),
        has_interviews=Exists(Interview.objects.filter(client=OuterRef("pk"))),
        has_observations=Exists(Observation.objects.filter(client=OuterRef("pk"))),
    )


def _checkins(client, scale: Scale, today, rng, *, engaged: bool, skip_latest: bool) -> None:
    """Every 90 days over the last year (from intake at the earliest); the latest is left due for some."""
    start = max(client.intake_on or today, today - datetime.timedelta(days=365))
    days = list(range(0, (today - start).days + 1, 90))
    if skip_latest and len(days) > 1:
        days = days[:-1]
    base = rng.randint(2, 3)
    for step, offset in enumerate(days):
        level = base + (min(step, 3) * 0.8 if engaged else 0)
        answers = {item.pk: max(1, min(6, round(level + rng.choice((-1, 0, 0, 1))))) for item in scale.items}
        checkin_record(client=client, scale=scale, answers=answers, by=client.primary_peer,
                       taken_on=start + datetime.timedelta(days=offset),
                       occasion=CheckIn.Occasion.INTAKE if step == 0 else CheckIn.Occasion.ROUTINE)


def _interviews(client, today, months_ago: int, followup) -> None:
    intake = add_months(today, -months_ago) - datetime.timedelta(days=3)
    Interview.objects.create(client=client, kind=Interview.Kind.INTAKE, held_on=intake, recorded_by=client.primary_peer)
    if followup:
        months, outcome = followup
        Interview.objects.create(client=client, kind=Interview.Kind.FOLLOWUP, outcome=outcome,
                                 held_on=add_months(intake, months) + datetime.timedelta(days=5),
                                 recorded_by=client.primary_peer)


def _observations(client, today, index: int) -> None:
    intake = client.intake_on or today
    by = client.primary_peer
    rows = [
        ("housing", intake, False, ["shelter" if index % 2 else "with-others"], ""),
        ("housing", today - datetime.timedelta(days=20), False, ["stable" if index % 2 else "recovery-residence"], ""),
        ("employment", intake, False, ["unemployed-looking"], ""),
        ("veteran", intake, index % 4 == 0, [] if index % 4 == 0 else ["no"], ""),
        ("language", intake, False, [], "English" if index % 2 else "Spanish"),
        ("race_ethnicity", intake, index % 5 == 0, [] if index % 5 == 0 else RACES[: 1 + index % 2], ""),
    ]
    Observation.objects.bulk_create([
        Observation(client=client, question=q, observed_on=min(day, today), declined=declined, codes=codes, text=text,
                    recorded_by=by) for q, day, declined, codes, text in rows])

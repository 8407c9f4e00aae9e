"""When a check-in is due: at intake, then every ``checkin_interval_days`` after the last, and at
discharge (OutcomeSettings). Counted within the participant's latest episode, in the program's days.

* An open episode without a check-in of the scheduled instrument since its intake: due from the intake
  date (occasion "intake").
* With one: due ``checkin_interval_days`` after the latest (day 90, not 89).
* A discharged episode: due on the discharge date unless a check-in was taken on or after it; offered for
  ``DISCHARGE_DUE_DAYS`` after discharge, then dropped (the participant has left).
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, DateField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce

from clients.models import Client, Episode
from outcomes.models import CheckIn, Instrument, OutcomeSettings
from outcomes.models.program import DEFAULT_INSTRUMENT_CODE

DISCHARGE_DUE_DAYS = 30


def scheduled_instrument(settings: OutcomeSettings) -> Instrument | None:
    if settings.instrument_id:
        return settings.instrument
    return Instrument.objects.filter(program__isnull=True, code=DEFAULT_INSTRUMENT_CODE).first()


def with_checkin_due(clients, *, instrument_id: int, interval_days: int, today: datetime.date):
    """Annotate ``checkin_due_on`` (None: nothing due ahead) and ``checkin_occasion``.

    Each is one subquery on the participant's latest episode, which reads its own dates as plain columns
    (the episode's dates as separate subqueries, repeated in every branch, cost several times as much to
    build and to run)."""
    latest = (CheckIn.objects.filter(client=OuterRef("client_id"), instrument_id=instrument_id,
                                     taken_on__gte=OuterRef("started_on"))
              .order_by("-taken_on").values("taken_on")[:1])
    episodes = (Episode.objects.filter(client=OuterRef("pk")).order_by("-started_on", "-pk")
                .annotate(last_checkin_on=Subquery(latest)))
    discharged = Q(discharged_on__isnull=False)
    # The latest check-in is named once per branch: each mention is one more subquery to build and run.
    due_on = Case(
        When(discharged & Q(discharged_on__lt=today - datetime.timedelta(days=DISCHARGE_DUE_DAYS)), then=None),
        When(discharged & Q(last_checkin_on__gte=F("discharged_on")), then=None),
        When(discharged, then=F("discharged_on")),
        default=Coalesce(Cast(F("last_checkin_on") + datetime.timedelta(days=interval_days), DateField()),
                         F("started_on")),
        output_field=DateField(),
    )
    occasion = Case(
        When(discharged, then=Value(CheckIn.Occasion.DISCHARGE)),
        When(last_checkin_on__isnull=True, then=Value(CheckIn.Occasion.INTAKE)),
        default=Value(CheckIn.Occasion.ROUTINE), output_field=CharField(),
    )
    return clients.annotate(
        checkin_due_on=Subquery(episodes.annotate(due_on=due_on).values("due_on")[:1], output_field=DateField()),
        # Without an episode: "intake" (what a first check-in is for).
        checkin_occasion=Coalesce(Subquery(episodes.annotate(occasion=occasion).values("occasion")[:1]),
                                  Value(CheckIn.Occasion.INTAKE), output_field=CharField()),
    )


def checkins_due(program, today: datetime.date, queryset=None, *, settings: OutcomeSettings | None = None,
                 instrument: Instrument | None = None):
    """The program's participants with a check-in due by ``today`` (``queryset``: already scoped), or
    None when no instrument is scheduled (``settings`` and ``instrument``: the program's, already read)."""
    if settings is None:
        settings = OutcomeSettings.of(program)
        instrument = scheduled_instrument(settings)
    if instrument is None:
        return None
    clients = (queryset if queryset is not None else Client.objects.all()).filter(program=program)
    return with_checkin_due(clients, instrument_id=instrument.pk, interval_days=settings.checkin_interval_days,
                            today=today).filter(checkin_due_on__lte=today)


def occasion_for(client, settings: OutcomeSettings, instrument: Instrument, today: datetime.date) -> str:
    """The occasion a new check-in of ``client`` is for (the form's default)."""
    row = with_checkin_due(Client.objects.filter(pk=client.pk), instrument_id=instrument.pk,
                           interval_days=settings.checkin_interval_days, today=today).values("checkin_occasion").first()
    return row["checkin_occasion"] if row else CheckIn.Occasion.ROUTINE

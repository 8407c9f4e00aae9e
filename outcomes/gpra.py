"""GPRA follow-up windows and the follow-up rate (DOMAIN.md, "Outcomes and funders").

A participant enters the schedule with their intake interview. The follow-up window opens
``followup_opens_months`` after its date and closes ``followup_closes_months`` after it: open on the days
``opens_on <= today < closes_on``, today being the program's date in its time zone. States:

* ``upcoming``: the window has not opened;
* ``due``: open, no follow-up recorded (``closing_soon`` within ``CLOSING_DAYS`` of closing);
* ``completed``: a completed follow-up dated inside the window;
* ``not_completed``: a follow-up recorded with another outcome, or completed outside the window;
* ``missed``: the window closed with nothing recorded.

The rate is completed ÷ due, where due counts every participant whose follow-up was due and is settled
(the window closed, or a follow-up was recorded): an open window without a record is not yet counted
against anyone. Per program and per peer (the participant's primary peer).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from outcomes.models import Interview, OutcomeSettings
from outcomes.models.gpra import add_months

UPCOMING, DUE, COMPLETED, NOT_COMPLETED, MISSED = "upcoming", "due", "completed", "not_completed", "missed"
STATE_LABELS = {UPCOMING: _("Not open yet"), DUE: _("Due now"), COMPLETED: _("Completed in window"),
                NOT_COMPLETED: _("Not completed"), MISSED: _("Missed")}
CLOSING_DAYS = 30


@dataclass
class Window:
    client: Client
    intake: Interview
    followup: Interview | None
    discharge: Interview | None
    opens_on: datetime.date
    closes_on: datetime.date
    state: str
    days_left: int  # days until the window closes (0 on its last day)

    @property
    def last_day(self) -> datetime.date:
        return self.closes_on - datetime.timedelta(days=1)

    @property
    def closing_soon(self) -> bool:
        return self.state == DUE and self.days_left < CLOSING_DAYS

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def url(self) -> str:
        return reverse("outcomes:gpra_participant", kwargs={"client_uuid": self.client.uuid})

    @property
    def counts_as_due(self) -> bool:
        return self.state in (COMPLETED, NOT_COMPLETED, MISSED)


def window_of(client, interviews: list[Interview], settings: OutcomeSettings, today: datetime.date) -> Window | None:
    by_kind = {i.kind: i for i in interviews}
    intake = by_kind.get(Interview.Kind.INTAKE)
    if intake is None:
        return None
    opens_on = add_months(intake.held_on, settings.followup_opens_months)
    closes_on = add_months(intake.held_on, settings.followup_closes_months)
    followup = by_kind.get(Interview.Kind.FOLLOWUP)
    if followup is not None:
        in_window = opens_on <= followup.held_on < closes_on
        state = COMPLETED if followup.outcome == Interview.Outcome.COMPLETED and in_window else NOT_COMPLETED
    elif today < opens_on:
        state = UPCOMING
    elif today < closes_on:
        state = DUE
    else:
        state = MISSED
    return Window(client, intake, followup, by_kind.get(Interview.Kind.DISCHARGE), opens_on, closes_on, state,
                  (closes_on - today).days - 1)


def windows(program, settings: OutcomeSettings, today: datetime.date, clients=None) -> list[Window]:
    """Every participant of ``program`` (``clients``: an already scoped queryset) in the GPRA schedule.
    Two queries."""
    clients = (clients if clients is not None else Client.objects.all()).filter(
        program=program, gpra_interviews__kind=Interview.Kind.INTAKE)
    rows = (clients.select_related("primary_peer")
            .prefetch_related(Prefetch("gpra_interviews", Interview.objects.order_by("pk"), to_attr="interviews"))
            .order_by("name_key", "pk"))
    found = [window_of(c, c.interviews, settings, today) for c in rows]
    return sorted((w for w in found if w), key=lambda w: (w.closes_on, w.client.name_key))


@dataclass
class Rate:
    label: str
    completed: int
    due: int
    target: int

    @property
    def percent(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(100 * self.completed) / self.due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def meets_target(self) -> bool:
        return self.percent is not None and self.percent >= self.target


def rates(rows: list[Window], target: int) -> tuple[Rate, list[Rate]]:
    """The follow-up rate of all ``rows`` and of each primary peer's, by name."""
    def rate(label, subset):
        due = [w for w in subset if w.counts_as_due]
        return Rate(label, sum(1 for w in due if w.state == COMPLETED), len(due), target)

    by_peer: dict[str, list[Window]] = {}
    for w in rows:
        name = w.client.primary_peer.full_name if w.client.primary_peer else gettext("Needs assignment")
        by_peer.setdefault(name, []).append(w)
    return rate(gettext("Program"), rows), [rate(name, subset) for name, subset in sorted(by_peer.items())]

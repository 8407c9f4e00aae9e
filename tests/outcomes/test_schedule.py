"""When a check-in is due (intake, every N days, discharge), on My day and in the reminder sweep."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from clients import services as client_services
from clients.models import Client, Episode
from outcomes import schedule
from outcomes.models import OutcomeSettings
from outcomes.reminders import checkin_due
from recovery.models import Notification
from recovery.reminders import sweep_run
from tests.factories import ClientFactory
from tests.outcomes.conftest import record

INTAKE = datetime.date(2026, 1, 5)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=datetime.UTC)  # noon in New York


@pytest.fixture
def enrolled(program, peer, barc):
    client = ClientFactory(program=program, primary_peer=peer, full_name="Della Due", episode=False)
    Episode.objects.create(client=client, started_on=INTAKE, referral_source=Episode.ReferralSource.SELF,
                           created_by=peer)
    return client


def due_ids(program, day) -> list[int]:
    return list(schedule.checkins_due(program, day).values_list("pk", flat=True))


def my_day_rows(http):
    response = http.get(reverse("home"))
    section = next(s.context for s in response.context["sections"] if s.template == "outcomes/my_day.html")
    return section["rows"]


def test_a_check_in_is_due_from_intake_until_one_is_taken(program, enrolled, barc):
    assert due_ids(program, INTAKE - datetime.timedelta(days=1)) == []
    assert due_ids(program, INTAKE) == [enrolled.pk]
    row = schedule.checkins_due(program, INTAKE).get()
    assert row.checkin_occasion == "intake"
    record(enrolled, barc, INTAKE, occasion="intake")
    assert due_ids(program, INTAKE) == []


def test_the_next_is_due_on_day_90_not_89(program, enrolled, barc):
    record(enrolled, barc, INTAKE)
    assert due_ids(program, INTAKE + datetime.timedelta(days=89)) == []
    assert due_ids(program, INTAKE + datetime.timedelta(days=90)) == [enrolled.pk]


def test_the_interval_is_the_programs_setting(program, enrolled, barc):
    OutcomeSettings.objects.create(program=program, checkin_interval_days=30)
    record(enrolled, barc, INTAKE)
    assert due_ids(program, INTAKE + datetime.timedelta(days=29)) == []
    assert due_ids(program, INTAKE + datetime.timedelta(days=30)) == [enrolled.pk]


def test_a_check_in_is_due_at_discharge_even_right_after_a_routine_one(program, enrolled, peer, barc):
    record(enrolled, barc, INTAKE + datetime.timedelta(days=10))
    discharged_on = INTAKE + datetime.timedelta(days=20)
    with time_machine.travel(noon(discharged_on), tick=False):
        client_services.episode_discharge(client=enrolled, by=peer, discharged_on=discharged_on,
                                          reason="completed", note="")
    assert due_ids(program, discharged_on) == [enrolled.pk]
    assert schedule.checkins_due(program, discharged_on).get().checkin_occasion == "discharge"
    record(Client.objects.get(pk=enrolled.pk), barc, discharged_on, occasion="discharge")
    assert due_ids(program, discharged_on) == []


def test_a_discharge_check_in_stops_being_asked_for_a_month_after_discharge(program, enrolled, peer, barc):
    discharged_on = INTAKE + datetime.timedelta(days=20)
    with time_machine.travel(noon(discharged_on), tick=False):
        client_services.episode_discharge(client=enrolled, by=peer, discharged_on=discharged_on,
                                          reason="completed", note="")
    last = discharged_on + datetime.timedelta(days=schedule.DISCHARGE_DUE_DAYS)
    assert due_ids(program, last) == [enrolled.pk]
    assert due_ids(program, last + datetime.timedelta(days=1)) == []


def test_my_day_shows_the_check_in_due_with_a_link_to_the_form(login, peer, enrolled, barc):
    record(enrolled, barc, INTAKE)
    http = login(peer)
    with time_machine.travel(noon(INTAKE + datetime.timedelta(days=82)), tick=False):
        assert my_day_rows(http) == []
    with time_machine.travel(noon(INTAKE + datetime.timedelta(days=83)), tick=False):
        assert [(c.pk, late) for c, late in my_day_rows(http)] == [(enrolled.pk, -7)]  # coming this week
        assert "due " in http.get(reverse("home")).content.decode()
    with time_machine.travel(noon(INTAKE + datetime.timedelta(days=90)), tick=False):
        rows = my_day_rows(http)
        assert [(c.pk, late) for c, late in rows] == [(enrolled.pk, 0)]
        html = http.get(reverse("home")).content.decode()
        assert reverse("outcomes:checkin_new", kwargs={"client_uuid": enrolled.uuid}) in html


def test_other_peers_do_not_see_my_participants_due(login, other_peer, enrolled):
    with time_machine.travel(noon(INTAKE), tick=False):
        assert my_day_rows(login(other_peer)) == []


def test_the_sweep_reminds_the_peer_once_per_due_date(program, peer, enrolled, barc):
    record(enrolled, barc, INTAKE)
    day90 = INTAKE + datetime.timedelta(days=90)
    assert sweep_run(checkin_due, program, day90 - datetime.timedelta(days=1)) == 0
    assert sweep_run(checkin_due, program, day90) == 1
    assert sweep_run(checkin_due, program, day90) == 0
    assert sweep_run(checkin_due, program, day90 + datetime.timedelta(days=1)) == 0
    note = Notification.objects.get(recipient=peer, kind="checkin_due")
    assert "Della" not in note.title and note.url == enrolled.get_absolute_url()


def test_each_participant_page_shows_its_own_check_in_due(login, program, peer, enrolled, barc):
    """The due date's query is kept once for all participants (recovery.compiled), each page's id put in."""
    other = ClientFactory(program=program, primary_peer=peer, full_name="Otto Other", episode=False)
    Episode.objects.create(client=other, started_on=INTAKE + datetime.timedelta(days=3),
                           referral_source=Episode.ReferralSource.SELF, created_by=peer)
    record(enrolled, barc, INTAKE + datetime.timedelta(days=10))
    http = login(peer)

    def due(client):
        response = http.get(client.get_absolute_url())
        return next(s.context["due"] for s in response.context["sections"]
                    if s.template == "outcomes/participant/section.html")

    with time_machine.travel(noon(INTAKE + datetime.timedelta(days=20)), tick=False):
        for _ in range(2):
            assert due(enrolled) == {"checkin_due_on": INTAKE + datetime.timedelta(days=100),
                                     "checkin_occasion": "routine"}
            assert due(other) == {"checkin_due_on": INTAKE + datetime.timedelta(days=3), "checkin_occasion": "intake"}

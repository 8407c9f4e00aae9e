"""GPRA follow-up windows at their edges (program time zone) and the follow-up rate on a hand-computed
fixture."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from outcomes import gpra
from outcomes.models import Interview, OutcomeSettings
from outcomes.models.gpra import add_months
from outcomes.reminders import gpra_window
from recovery.models import Notification
from recovery.reminders import sweep_run
from tests.factories import ClientFactory

INTAKE = datetime.date(2025, 3, 31)  # opens Aug 31, closes Nov 30 (Nov has no 31st)


def interview(client, kind, held_on, outcome="completed", detail=""):
    return Interview.objects.create(client=client, kind=kind, held_on=held_on, outcome=outcome,
                                    outcome_detail=detail, recorded_by=client.primary_peer)


@pytest.fixture
def settings_on(program):
    return OutcomeSettings.objects.create(program=program, gpra_enabled=True)


@pytest.fixture
def enrolled(mine):
    interview(mine, "intake", INTAKE)
    return mine


def state_on(client, settings, day):
    return gpra.window_of(client, list(client.gpra_interviews.all()), settings, day)


def test_months_are_calendar_months_clamped_to_the_months_end():
    assert add_months(datetime.date(2025, 3, 31), 5) == datetime.date(2025, 8, 31)
    assert add_months(datetime.date(2025, 3, 31), 8) == datetime.date(2025, 11, 30)
    assert add_months(datetime.date(2025, 9, 30), 5) == datetime.date(2026, 2, 28)


def test_the_window_opens_at_exactly_five_months_and_closes_at_eight(enrolled, settings_on):
    day = datetime.date
    assert state_on(enrolled, settings_on, day(2025, 8, 30)).state == gpra.UPCOMING
    opened = state_on(enrolled, settings_on, day(2025, 8, 31))
    assert opened.state == gpra.DUE and opened.opens_on == day(2025, 8, 31)
    last = state_on(enrolled, settings_on, day(2025, 11, 29))
    assert last.state == gpra.DUE and last.days_left == 0 and last.last_day == day(2025, 11, 29)
    assert state_on(enrolled, settings_on, day(2025, 11, 30)).state == gpra.MISSED


def test_closing_soon_means_within_30_days_of_closing(enrolled, settings_on):
    assert not state_on(enrolled, settings_on, datetime.date(2025, 10, 30)).closing_soon  # 31 days before
    assert state_on(enrolled, settings_on, datetime.date(2025, 10, 31)).closing_soon  # 30 days before


def test_the_edges_follow_the_programs_time_zone(login, peer, enrolled, settings_on):
    # 03:30 UTC on Aug 31 is still Aug 30 in New York: not open yet; 04:30 UTC is Aug 31 there.
    url = reverse("outcomes:gpra_participant", kwargs={"client_uuid": enrolled.uuid})
    http = login(peer)
    with time_machine.travel(datetime.datetime(2025, 8, 31, 3, 30, tzinfo=datetime.UTC), tick=False):
        assert http.get(url).context["window"].state == gpra.UPCOMING
    with time_machine.travel(datetime.datetime(2025, 8, 31, 4, 30, tzinfo=datetime.UTC), tick=False):
        assert http.get(url).context["window"].state == gpra.DUE


def test_the_window_is_the_programs_setting(enrolled, settings_on):
    settings_on.followup_opens_months, settings_on.followup_closes_months = 3, 4
    assert state_on(enrolled, settings_on, datetime.date(2025, 6, 30)).state == gpra.DUE
    assert state_on(enrolled, settings_on, datetime.date(2025, 7, 31)).state == gpra.MISSED


def test_a_follow_up_counts_only_when_completed_inside_the_window(enrolled, settings_on):
    follow = interview(enrolled, "followup", datetime.date(2025, 11, 30))  # the day it closed
    assert state_on(enrolled, settings_on, datetime.date(2025, 12, 1)).state == gpra.NOT_COMPLETED
    Interview.objects.filter(pk=follow.pk).update(held_on=datetime.date(2025, 11, 29))
    assert state_on(enrolled, settings_on, datetime.date(2025, 12, 1)).state == gpra.COMPLETED


def test_the_rate_on_a_hand_computed_fixture(program, peer, other_peer, settings_on):
    """Today 2026-06-01; intakes 2025-06-01 (window Nov 1 to Jan 31, closed) unless said.

    Pat's five: completed in window ✓, completed late ✗, refused ✗, missed ✗, window still open
    without a record (not counted). Olive's two: completed ✓, completed ✓. Program: 3 of 6 = 50 %;
    Pat 1 of 4 = 25 %; Olive 2 of 2 = 100 %.
    """
    today, intake = datetime.date(2026, 6, 1), datetime.date(2025, 6, 1)

    def person(peer_user, follow=None, outcome="completed", intake_on=intake):
        client = ClientFactory(program=program, primary_peer=peer_user)
        interview(client, "intake", intake_on)
        if follow:
            interview(client, "followup", follow, outcome, "" if outcome != "other" else "moved")
        return client

    person(peer, datetime.date(2025, 12, 1))
    person(peer, datetime.date(2026, 2, 15))
    person(peer, datetime.date(2025, 12, 1), outcome="refused")
    person(peer)
    person(peer, intake_on=datetime.date(2025, 11, 15))  # opens Apr 15 2026, closes Jul 15: open, unrecorded
    person(other_peer, datetime.date(2025, 11, 1))
    person(other_peer, datetime.date(2026, 1, 31))
    rows = gpra.windows(program, settings_on, today)
    overall, by_peer = gpra.rates(rows, settings_on.followup_target_percent)
    assert (overall.completed, overall.due, overall.percent) == (3, 6, Decimal(50))
    assert not overall.meets_target
    rates = {r.label: (r.completed, r.due, r.percent, r.meets_target) for r in by_peer}
    assert rates == {"Pat Peer": (1, 4, Decimal(25), False), "Olive Otherpeer": (2, 2, Decimal(100), True)}


def test_the_lists_page_sorts_windows_and_is_scoped(login, peer, other_peer, supervisor, outsider, enrolled,
                                                    settings_on):
    url = reverse("outcomes:gpra_list")
    with time_machine.travel(datetime.datetime(2025, 11, 1, 17, tzinfo=datetime.UTC), tick=False):
        page = login(peer).get(url)
        assert [w.client for w in page.context["closing"]] == [enrolled]
        assert login(other_peer).get(url).context["closing"] == []
        assert [w.client for w in login(supervisor).get(url).context["closing"]] == [enrolled]
        assert login(outsider).get(url).context["closing"] == []


def test_reminders_when_the_window_opens_and_30_days_before_it_closes(program, peer, enrolled, settings_on):
    assert sweep_run(gpra_window, program, datetime.date(2025, 8, 30)) == 0
    assert sweep_run(gpra_window, program, datetime.date(2025, 8, 31)) == 1
    assert sweep_run(gpra_window, program, datetime.date(2025, 9, 15)) == 0
    assert sweep_run(gpra_window, program, datetime.date(2025, 10, 31)) == 1
    assert sweep_run(gpra_window, program, datetime.date(2025, 11, 5)) == 0
    titles = sorted(Notification.objects.filter(recipient=peer, kind="gpra_window").values_list("title", flat=True))
    assert titles == ["A GPRA follow-up window closes in 29 days", "A GPRA follow-up window is open"]


def test_the_peer_records_interviews_and_others_only_read(login, peer, supervisor, other_peer, enrolled,
                                                          settings_on):
    url = reverse("outcomes:gpra_participant", kwargs={"client_uuid": enrolled.uuid})
    data = {"kind": "followup", "held_on": "2025-09-10", "outcome": "other", "outcome_detail": ""}
    with time_machine.travel(datetime.datetime(2025, 9, 20, 17, tzinfo=datetime.UTC), tick=False):
        rejected = login(peer).post(url, data)
        assert rejected.status_code == 200 and "outcome_detail" in rejected.context["form"].errors
        assert login(peer).post(url, {**data, "outcome_detail": "Moved away"}).status_code == 302
        assert login(supervisor).post(url, {**data, "outcome": "completed"}).status_code == 403
        assert login(other_peer).get(url).status_code == 404
    assert Interview.objects.get(client=enrolled, kind="followup").outcome == "other"

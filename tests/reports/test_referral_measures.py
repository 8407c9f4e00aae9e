"""The referral measures on the hand-built first quarter of 2025: counted by hand from the referrals
below, never by the measures' own queries; each number equals the length of its drill-down list."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from referrals.services import referral_update
from reports.measures import by_key
from tests.factories import ResourceFactory, referral_for, resource_categories

D = datetime.date
LATER = D(2025, 6, 30)  # the referrals' follow-ups fall due after the quarter: the follow-up measures stay


@pytest.fixture
def referrals(world, program, peer):
    housing = ResourceFactory(program=program, organisation="Harbor House", categories=["recovery-housing"])
    food = ResourceFactory(program=program, organisation="Bay Pantry", categories=["food"])
    shipped = resource_categories()
    a, b, c, e = world["a"], world["b"], world["c"], world["e"]

    def make(client, resource, made_on, *moves):
        referral = referral_for(client, resource, by=peer, made_on=made_on, followup_on=LATER,
                                category=shipped["recovery-housing" if resource is housing else "food"])
        for status, on, *reason in moves:
            referral = referral_update(referral=referral, by=peer, status=status, on=on,
                                       reason=reason[0] if reason else "")
        return referral

    make(a, housing, D(2025, 1, 20), ("connected", D(2025, 2, 1)), ("completed", D(2025, 3, 15)))  # completed
    make(a, food, D(2025, 2, 3), ("connected", D(2025, 2, 10)))                                    # connected
    make(b, housing, D(2025, 2, 25))                                                               # made
    make(c, food, D(2025, 3, 10), ("not_completed", D(2025, 3, 20), "declined"))                   # declined
    make(a, food, D(2024, 12, 15))                                   # before the quarter: not counted
    make(e, housing, D(2025, 3, 1))                                  # another team's participant


def value(key, base):
    return by_key()[key].value(base)


def groups(key, base):
    return {label: n for _, label, n in by_key()[key].breakdown(base)}


def test_referrals_made_connected_and_completed_in_the_period(referrals, supervisor, base_for):
    base = base_for(supervisor)
    assert value("referrals_made", base) == 4
    assert groups("referrals_made", base) == {"Recovery housing": 2, "Food": 2}
    assert value("referrals_connected", base) == 2  # one connected, one completed
    assert value("referrals_completed", base) == 1
    assert value("referrals_not_completed", base) == 1
    assert groups("referrals_not_completed", base) == {"Declined": 1}


def test_an_admin_counts_every_team(referrals, admin, base_for):
    assert value("referrals_made", base_for(admin)) == 5


def test_each_referral_number_equals_the_length_of_its_drill_down_list(referrals, supervisor, base_for):
    base = base_for(supervisor)
    for key in ("referrals_made", "referrals_connected", "referrals_completed", "referrals_not_completed"):
        measure = by_key()[key]
        assert measure.value(base) == len(list(measure.records(base))), key
        for group, _label, n in measure.breakdown(base):
            assert len(list(measure.records_in_group(base, group))) == n, (key, group)


def test_the_report_page_shows_the_referral_section_and_its_drill_down(referrals, login, supervisor):
    client = login(supervisor)
    query = {"preset": "custom", "start": "2025-01-01", "end": "2025-03-31"}
    page = client.get(reverse("reports:report"), query)
    assert page.status_code == 200
    assert "Referrals made, by category" in page.content.decode()
    drill = client.get(reverse("reports:drilldown", args=["referrals_made"]), query)
    assert drill.status_code == 200
    body = drill.content.decode()
    assert body.count("Harbor House") == 2 and body.count("Bay Pantry") == 2

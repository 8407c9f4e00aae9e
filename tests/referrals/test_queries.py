"""Query budgets: the directory search and the pages of referrals run the same number of queries with few
rows and with many (a participant with 50 referrals, a directory of 120 entries)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.services import referral_update
from tests.factories import ResourceFactory, bulk_referrals, days, referral_for

DIRECTORY_BUDGET = 14
PARTICIPANT_PAGE_BUDGET = 35  # with the records section's two queries
REFERRAL_PAGE_BUDGET = 14


def count_queries(http, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url, data)
    assert response.status_code == 200, url
    return len(captured)


def test_directory_search_runs_a_fixed_number_of_queries(login, peer, program, frozen_time,
                                                         django_assert_max_num_queries):
    http = login(peer)
    ResourceFactory(program=program, organisation="Harbor House", categories=["recovery-housing"],
                    languages=["Spanish"])
    search = {"q": "house", "category": "recovery-housing", "language": "Spanish", "cost": "sliding"}
    few = (count_queries(http, reverse("referrals:resource_list")),
           count_queries(http, reverse("referrals:resource_list"), search))
    for n in range(120):
        ResourceFactory(program=program, organisation=f"House number {n}", categories=["recovery-housing", "food"],
                        languages=["Spanish", f"Lang{n}"], verified_on=days(-400) if n % 3 else days(-1))
    many = (count_queries(http, reverse("referrals:resource_list")),
            count_queries(http, reverse("referrals:resource_list"), search))
    assert few == many
    with django_assert_max_num_queries(DIRECTORY_BUDGET):
        http.get(reverse("referrals:resource_list"), {**search, "stale": "on"})


def test_the_participant_page_with_50_referrals_runs_as_many_queries_as_with_one(
        login, peer, program, mine, frozen_time, django_assert_max_num_queries):
    resource = ResourceFactory(program=program)
    http = login(peer)
    referral_for(mine, resource)
    few = count_queries(http, mine.get_absolute_url())
    bulk_referrals(mine, resource, 49)
    with django_assert_max_num_queries(PARTICIPANT_PAGE_BUDGET):
        many = count_queries(http, mine.get_absolute_url())
    assert few == many
    assert count_queries(http, reverse("referrals:referral_list", args=[mine.uuid])) <= REFERRAL_PAGE_BUDGET


def test_a_referral_page_with_a_long_history_runs_a_fixed_number_of_queries(
        login, peer, program, mine, frozen_time, django_assert_max_num_queries):
    referral = referral_for(mine, ResourceFactory(program=program), made_on=days(-60))
    http = login(peer)
    few = count_queries(http, referral.get_absolute_url())
    for n in range(10):
        referral_update(referral=referral, by=peer, status="not_completed", reason="waitlisted", on=days(-50 + n * 4))
        referral_update(referral=referral, by=peer, status="connected", on=days(-48 + n * 4))
    with django_assert_max_num_queries(REFERRAL_PAGE_BUDGET):
        many = count_queries(http, referral.get_absolute_url())
    assert few == many


def test_my_day_with_many_quiet_referrals_runs_as_many_queries_as_with_one(login, peer, program, mine,
                                                                          frozen_time):
    resource = ResourceFactory(program=program)
    http = login(peer)
    referral_for(mine, resource, made_on=days(-30))
    few = count_queries(http, reverse("home"))
    for _ in range(30):
        referral_for(mine, resource, made_on=days(-30))
    assert count_queries(http, reverse("home")) == few

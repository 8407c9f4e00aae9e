"""The query-budget fixtures (tests/conftest.py) leave out the session's once-a-minute activity write, so
a budget does not depend on how long the test took before the measured request."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recovery.sessions import LAST_SEEN_KEY, TOUCH_INTERVAL


def test_a_budget_counts_the_same_queries_when_a_minute_has_passed_since_login(
    login, peer, django_assert_num_queries
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
        client.get("/")
        with CaptureQueriesContext(connection) as same_minute:
            client.get("/")
    with time_machine.travel(start + timedelta(seconds=TOUCH_INTERVAL + 1), tick=False):
        with django_assert_num_queries(len(same_minute.captured_queries)):
            client.get("/")
        assert client.session[LAST_SEEN_KEY] == int(start.timestamp()), "the write was left out"
        client.get("/")  # outside a budget the middleware records the activity as usual
        assert client.session[LAST_SEEN_KEY] == int(start.timestamp()) + TOUCH_INTERVAL + 1


def test_a_session_past_its_idle_limit_still_ends_inside_a_budget(login, peer, django_assert_max_num_queries):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(peer)
    with time_machine.travel(start + timedelta(hours=1), tick=False), django_assert_max_num_queries(20):
        response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

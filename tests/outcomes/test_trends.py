"""The participant page's check-in section: trend chart with threshold line and data table, strengths and
needs in plain words, a goal started from a low item; query counts stay fixed with many check-ins."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from clients.models import Client
from tests.factories import ClientFactory, RecoveryPlanFactory, days
from tests.outcomes.conftest import record


def detail(http, client):
    return http.get(reverse("clients:detail", kwargs={"client_uuid": client.uuid}))


def test_the_participant_page_shows_the_trend_with_its_marker_line_and_data_table(login, peer, mine, barc):
    record(mine, barc, days(-100), *([3] * 10))
    record(mine, barc, days(-10), *([5] * 10))
    html = detail(login(peer), mine).content.decode()
    assert '<svg class="trend-chart"' in html and 'role="img"' in html
    assert 'stroke-dasharray' in html and "47 marker" in html  # the threshold line is dashed and labelled
    assert "style=" not in html.split('<svg class="trend-chart"')[1].split("</svg>")[0]
    assert len(re.findall(r"<circle ", html)) == 2
    table = html.split("<table", 1)[1]
    assert ">30</td>" in table and ">50 <span" in table


def test_latest_answers_read_as_strengths_and_needs_with_a_goal_link(login, peer, mine, barc):
    plan = RecoveryPlanFactory(client=mine)
    housing = next(i for i in barc.items if i.label == "Housing")
    support = next(i for i in barc.items if i.label == "Support from others")
    values = [5 if i not in (housing, support) else None for i in barc.items]
    values[barc.items.index(housing)] = 5
    values[barc.items.index(support)] = 2
    record(mine, barc, days(-1), *values)
    html = detail(login(peer), mine).content.decode()
    assert "Housing: agrees" in html and "Support from others: disagrees" in html
    goal_url = reverse("clients:goal_new", kwargs={"plan_uuid": plan.uuid}) + "?dimension=social&amp;text=Support"
    assert goal_url in html
    form = login(peer).get(goal_url.replace("&amp;", "&")).context["form"]
    assert [d.code for d in form.initial["dimensions"]] == ["social"]
    assert form.initial["text"].startswith("Support")


def test_the_supervisor_reads_the_trend_without_write_links(login, supervisor, mine, barc):
    RecoveryPlanFactory(client=mine)
    record(mine, barc, days(-1), *([2] * 10))
    html = detail(login(supervisor), mine).content.decode()
    assert "trend-chart" in html and "Start a goal" not in html and "Start a check-in" not in html


def test_the_participant_page_query_count_does_not_grow_with_check_ins(login, peer, program, barc,
                                                                      django_assert_max_num_queries):
    few = ClientFactory(program=program, primary_peer=peer)
    many = ClientFactory(program=program, primary_peer=peer)
    RecoveryPlanFactory(client=few)
    RecoveryPlanFactory(client=many)
    record(few, barc, days(-1))
    for n in range(10):
        record(many, barc, days(-300 + 30 * n), *([1 + n % 6] * 10))
    http = login(peer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert detail(http, few).status_code == 200
    with django_assert_max_num_queries(len(one)):
        assert detail(http, many).status_code == 200


def test_my_day_query_count_does_not_grow_with_check_ins(login, peer, program, barc, django_assert_max_num_queries):
    clients = [ClientFactory(program=program, primary_peer=peer) for _ in range(3)]
    http = login(peer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert http.get(reverse("home")).status_code == 200
    for client in clients:
        for n in range(10):
            record(client, barc, days(-400 + 30 * n))
    with django_assert_max_num_queries(len(before)):
        assert http.get(reverse("home")).status_code == 200
    assert Client.objects.count() == 3 and datetime.date.today()
